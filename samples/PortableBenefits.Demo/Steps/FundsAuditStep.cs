using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// Per-fund conservation (docs/PROTOCOL.md 5.22), against the ledger and the log: the funds table is in the log; the
/// journal balances per fund; no fund issued more coins than was credited to it; every training sub-balance ended
/// withdrawn or allocated; what the wallets withdrew per fund is what the log issued.
/// </summary>
internal sealed class FundsAuditStep : IPilotStep
{
    public string Title => "Funds: per-fund conservation against the ledger and the log";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var entries = new List<LogEntry>();
        for (ulong i = 0; await world.Client.GetLogEntryAsync(i, cancellationToken) is { } entry; i++)
        {
            entries.Add(entry);
        }

        var tables = entries.Where(e => e.Kind == LogEntryKind.FundsTablePublished).Select(e => e.FundsTable!).ToList();
        world.Checks.Check("funds", "the log holds the funds table, signed by the accreditation body, sending the levy to training",
            tables.Count == 1 && tables[0].Verify(world.AccreditationKey.PublicKey) && tables[0].Resolve(ContributionSource.Levy) == FundsTableStep.Training, $"{tables.Count} tables");

        var verification = await world.Operator.VerifyLedgerAsync(cancellationToken);
        world.Checks.Check("funds", "the ledger's journal balances per fund: no withdrawal, reversal or swap moved value between funds",
            verification.IsValid && !verification.Problems.Any(p => p.Contains("fund", StringComparison.Ordinal)), string.Join("; ", verification.Problems.Take(3)));

        // Coins issued by withdrawals, per fund, from the log; money credited per fund, from the ledger's sources.
        var funds = world.AllKeysets.ToDictionary(k => k.Id, k => k);
        var issued = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var record in entries.Where(e => e.Kind == LogEntryKind.CoinsIssued).Select(e => e.Issuance!))
        {
            foreach (var (keyset, count) in record.Counts)
            {
                var descriptor = funds[keyset];
                issued[descriptor.Fund] = issued.GetValueOrDefault(descriptor.Fund) + (count * descriptor.Denomination.MinorUnits);
            }
        }

        long levy = -await world.Operator.GetBalanceAsync(LedgerAccount.Contribution(ContributionSource.Levy), cancellationToken);
        long others = 0;
        foreach (var source in Enum.GetValues<ContributionSource>().Where(s => s != ContributionSource.Levy))
        {
            others -= await world.Operator.GetBalanceAsync(LedgerAccount.Contribution(source), cancellationToken);
        }

        long trainingIssued = issued.GetValueOrDefault(FundsTableStep.Training), generalIssued = issued.GetValueOrDefault(KeysetDescriptor.GeneralFund);
        world.Checks.Check("funds", $"training coins withdrawn (log, {Money.Format(trainingIssued)}) <= training levy credited (ledger, {Money.Format(levy)})", trainingIssued <= levy && trainingIssued > 0);
        world.Checks.Check("funds", $"general coins withdrawn (log, {Money.Format(generalIssued)}) <= general contributions credited (ledger, {Money.Format(others)})", generalIssued <= others && generalIssued > 0);
        world.Checks.Check("funds", "what the wallets withdrew per fund is what the log issued per fund",
            world.Figures[$"fund:{FundsTableStep.Training}"] == trainingIssued && world.Figures[$"fund:{KeysetDescriptor.GeneralFund}"] == generalIssued,
            $"training {Money.Format(world.Figures[$"fund:{FundsTableStep.Training}"])}, general {Money.Format(world.Figures[$"fund:{KeysetDescriptor.GeneralFund}"])}");

        int left = 0;
        foreach (var worker in world.Workers)
        {
            left += await world.Operator.GetBalanceAsync(LedgerAccount.WorkerFund(worker.Account, FundsTableStep.Training), cancellationToken) == 0 ? 0 : 1;
        }

        world.Checks.Check("funds", "every worker's training sub-balance ended withdrawn as training coins or allocated by the default rule", left == 0, $"{left} left");
        Console.WriteLine($"      training: {Money.Format(levy)} credited, {Money.Format(trainingIssued)} withdrawn as training coins; general: {Money.Format(others)} credited, {Money.Format(generalIssued)} withdrawn");
    }
}
