using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// Checks that an epoch's default-allocation round follows the table's signed several-jobs rule (PROTOCOL.md 5.24):
/// <see cref="Before"/> reads every worker's balance just before <see cref="EpochCloseStep"/> runs the round,
/// <see cref="After"/> asks for the round again (which returns the logged record and moves nothing) and compares its
/// per-provider totals with the table's split of each worker's profile, computed here from the signed table alone.
/// </summary>
internal sealed class JobsRoundCheck(uint epoch)
{
    // The funds the pilot's workers can hold (the funds table sends the levy to training, docs/PROTOCOL.md 5.22): the
    // round allocates every fund sub-balance on its own, restricted money only where the provider accepts its fund.
    private static readonly string[] Funds = [KeysetDescriptor.GeneralFund, FundsTableStep.Training];
    private readonly Dictionary<(PilotWorker Worker, string Fund), long> _balances = [];

    public IPilotStep Before => new Step($"Epoch {epoch}: balances before the default-allocation round", async (world, ct) =>
    {
        foreach (var worker in world.Workers)
        {
            foreach (string fund in Funds)
            {
                _balances[(worker, fund)] = await world.Operator.GetBalanceAsync(LedgerAccount.WorkerFund(worker.Account, fund), ct);
            }
        }
    });

    public IPilotStep After => new Step($"Epoch {epoch}: the round followed the several-jobs rule", async (world, ct) =>
    {
        var now = world.Clock.Now;
        var expected = new SortedDictionary<string, long>(StringComparer.Ordinal);
        long pooled = 0;
        foreach (var ((worker, fund), balance) in _balances.Where(b => b.Value > 0))
        {
            foreach (var share in world.AllocationTable.Split(worker.ProfileIn(epoch).Jobs, Wallet.Protocol.Amount.FromMinorUnits(balance)))
            {
                if (world.Registry.Find(share.Provider) is { } record && record.IsValidAt(now) && record.Accepts(fund))
                {
                    expected[share.Provider.Value] = expected.GetValueOrDefault(share.Provider.Value) + share.Amount.MinorUnits;
                }
                else
                {
                    pooled += share.Amount.MinorUnits;
                }
            }
        }

        var round = await world.Operator.AllocateUnwithdrawnAsync($"epoch-{epoch}", [.. world.Workers.Select(w => w.ProfileIn(epoch))], ct);
        var actual = round?.Shares.ToDictionary(s => s.Provider.Value, s => s.Amount.MinorUnits) ?? [];
        bool matches = round is not null && actual.Count == expected.Count && expected.All(e => actual.GetValueOrDefault(e.Key) == e.Value) && round.Pooled.MinorUnits == pooled;
        int split = _balances.Count(b => b.Value > 0 && b.Key.Worker.ProfileIn(epoch).Jobs.Length > 1);
        Console.WriteLine($"      {split} balances split across two jobs; {expected.Count} providers, {Money.Format(expected.Values.Sum())} to providers and {Money.Format(pooled)} pooled, as the round logged: {matches}");
        world.Checks.Check("jobs", $"epoch {epoch}: the round's per-provider totals follow the table's {world.AllocationTable.SeveralJobs} rule ({split} balances split across two jobs)", matches,
            string.Join(", ", expected.Select(e => $"{e.Key} expected {e.Value} got {actual.GetValueOrDefault(e.Key)}").Append($"pool expected {pooled} got {round?.Pooled.MinorUnits}")));
    });

    private sealed class Step(string title, Func<PilotWorld, CancellationToken, Task> run) : IPilotStep
    {
        public string Title => title;

        public Task RunAsync(PilotWorld world, CancellationToken cancellationToken) => run(world, cancellationToken);
    }
}
