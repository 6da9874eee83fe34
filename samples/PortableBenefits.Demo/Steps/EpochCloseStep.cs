using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Ledger;
using Wallet.Protocol;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// After a month's deposit window the scheme closes its keysets (flow 6): unspent coins expire into the expired
/// account and each expiry is logged. Then default allocation: balances of workers who never withdrew go to the
/// provider the signed table names for their sector, and the expired value to the default pool.
/// </summary>
internal sealed class EpochCloseStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch} closes: expiry and default allocation";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var keysets = world.Epochs.Single(e => e.Epoch == epoch);
        var closesAt = keysets.All.Max(k => k.DepositUntil).AddDays(1);
        if (world.Clock.Now < closesAt)
        {
            world.Clock.MoveTo(closesAt);
        }

        long expired = 0;
        foreach (var keyset in keysets.All)
        {
            var record = await world.Scheme.ExpireKeysetAsync(keyset.Id, cancellationToken);
            world.Checks.Check("expiry", $"epoch {epoch} keyset {keyset.Fund}/{Money.Format(keyset.Denomination.MinorUnits)} closed and its expiry logged", record is not null);
            expired += record?.Value.MinorUnits ?? 0;
        }

        world.Figures.Add("expired", expired);

        // after default-allocation merge: BenefitScheme's default allocation resolves the table and logs each move;
        // until then the pilot resolves the same signed table and posts the moves through the ledger directly.
        long toProviders = 0;
        int allocations = 0, failures = 0;
        foreach (var worker in world.Workers.Where(w => w.Inactive))
        {
            long balance = await world.Scheme.GetWorkerBalanceAsync(worker.Account, cancellationToken);
            if (balance == 0)
            {
                continue;
            }

            var provider = world.AllocationTable.Resolve(worker.Employer.Sector, worker.Employer.Region);
            var result = await world.Ledger.AllocateDefaultAsync(new IdempotencyKey($"default-{epoch}-{worker.Account}"), LedgerAccount.Worker(worker.Account), LedgerAccount.Provider(provider), Amount.FromMinorUnits(balance), cancellationToken);
            if (!result.Succeeded)
            {
                failures++;
                continue;
            }

            allocations++;
            toProviders += balance;
            var category = world.Providers.Single(p => p.Id == provider.Value).Category;
            world.Figures.Add($"default:{category}", balance);
            world.Figures.Add($"default-to:{provider.Value}", balance);
        }

        if (expired > 0)
        {
            var pooled = await world.Ledger.AllocateDefaultAsync(new IdempotencyKey($"default-{epoch}-expired"), LedgerAccount.Expired, LedgerAccount.DefaultPool, Amount.FromMinorUnits(expired), cancellationToken);
            failures += pooled.Succeeded ? 0 : 1;
            world.Figures.Add("pooled", pooled.Succeeded ? expired : 0);
        }

        world.Checks.Check("default allocation", $"epoch {epoch}: every default allocation was applied by the ledger", failures == 0, $"{failures} refused");
        Console.WriteLine($"      expired {Money.Format(expired)} to the default pool; {allocations} never-withdrawn balances ({Money.Format(toProviders)}) to their default providers");
    }
}
