using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// After a month's deposit window the scheme closes its keysets (flow 6): unspent coins expire into the expired
/// account and each expiry is logged. Then the scheme's default allocation (PROTOCOL.md 5.10) applies the signed table
/// from the log: each keyset's expired value to the wildcard provider (or the default pool when that provider cannot take
/// the fund), and one round over every worker sends never-withdrawn balances to their sector's default provider.
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
            await world.MoveClockAsync(closesAt, cancellationToken);
        }

        long expired = 0;
        int failures = 0;
        var records = new List<DefaultAllocationRecord>();
        foreach (var keyset in keysets.All)
        {
            var record = await world.Operator.ExpireKeysetAsync(keyset.Id, cancellationToken);
            world.Checks.Check("expiry", $"epoch {epoch} keyset {keyset.Fund}/{Money.Format(keyset.Denomination.MinorUnits)} closed and its expiry logged", record is not null);
            expired += record?.Value.MinorUnits ?? 0;

            // Nobody knows who held the expired coins, so the table's wildcard row decides (PROTOCOL.md 5.10).
            var allocation = await world.Operator.AllocateExpiredAsync(keyset.Id, cancellationToken);
            world.Checks.Check("default allocation", $"epoch {epoch} keyset {keyset.Fund}/{Money.Format(keyset.Denomination.MinorUnits)}: expired value allocated and logged", allocation is not null && allocation.Total.MinorUnits == (record?.Value.MinorUnits ?? -1));
            failures += allocation is null ? 1 : 0;
            records.AddRange(allocation is null ? [] : [allocation]);
        }

        world.Figures.Add("expired", expired);

        // One round over every worker, so the log only ever shows totals per provider (a round of one would show a balance).
        var inputs = world.Workers.Select(w => w.ProfileIn(epoch)).ToList();
        var round = await world.Operator.AllocateUnwithdrawnAsync($"epoch-{epoch}", inputs, cancellationToken);
        failures += round is null ? 1 : 0;
        long unwithdrawn = round?.Total.MinorUnits ?? 0;
        records.AddRange(round is null ? [] : [round]);
        var leftBehind = new List<string>();
        foreach (var worker in world.Workers.Where(w => w.Inactive))
        {
            if (await world.Operator.GetBalanceAsync(LedgerAccount.Worker(worker.Account), cancellationToken) != 0)
            {
                leftBehind.Add(worker.Account.Value);
            }
        }

        var byCategory = new SortedDictionary<string, long>(StringComparer.Ordinal);
        foreach (var record in records)
        {
            foreach (var share in record.Shares)
            {
                var category = world.Providers.Single(p => p.Id == share.Provider.Value).Category;
                world.Figures.Add($"default:{category}", share.Amount.MinorUnits);
                world.Figures.Add($"default-to:{share.Provider.Value}", share.Amount.MinorUnits);
                byCategory[category] = byCategory.GetValueOrDefault(category) + share.Amount.MinorUnits;
            }

            world.Figures.Add("pooled", record.Pooled.MinorUnits);
        }

        world.Checks.Check("default allocation", $"epoch {epoch}: the scheme allocated every never-withdrawn balance and logged the round once", round is not null && leftBehind.Count == 0, $"{leftBehind.Count} balances left");
        world.Checks.Check("default allocation", $"epoch {epoch}: every default allocation was applied by the ledger", failures == 0, $"{failures} refused");
        Console.WriteLine($"      expired {Money.Format(expired)}; never-withdrawn balances {Money.Format(unwithdrawn)}; allocated by the table: "
            + string.Join(", ", byCategory.Select(kv => $"{kv.Key} {Money.Format(kv.Value)}"))
            + $"; default pool {Money.Format(records.Sum(r => r.Pooled.MinorUnits))}");

        // PROTOCOL.md 5.15: the epoch's books close with a ledger checkpoint in the log, which the auditor reconciles.
        var checkpoint = await world.Operator.LogLedgerCheckpointAsync(new Wallet.Protocol.IdempotencyKey($"ledger-checkpoint-epoch-{epoch}"), cancellationToken);
        world.Checks.Check("ledger checkpoint", $"epoch {epoch}: a ledger checkpoint matching the log was logged", checkpoint is not null);
    }
}
