using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// The researcher's view: download the whole transparency log through the scheme client, replay it with the
/// <see cref="LogAuditor"/> against every tree head the parties collected, replay the ledger's hash-chained journal,
/// and reconcile the two with each other and with what employers and providers recorded.
/// </summary>
internal sealed class FullAuditStep : IPilotStep
{
    public string Title => "Full audit: replay the transparency log and the ledger, reconcile them";

    public static AuditReport? Report { get; private set; }

    public static IReadOnlyList<LogEntry> Entries { get; private set; } = [];

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var head = await world.Client.GetTreeHeadAsync(cancellationToken);
        world.TreeHeads.Add(head);
        var entries = new List<LogEntry>();
        for (ulong i = 0; await world.Client.GetLogEntryAsync(i, cancellationToken) is { } entry; i++)
        {
            entries.Add(entry);
        }

        Entries = entries;
        var heads = world.TreeHeads.ToList();
        var report = new LogAuditor(world.SchemePublicKey, world.AccreditationKey.PublicKey).Audit(entries, heads);
        Report = report;
        var checks = world.Checks;
        checks.Check("log", "the log holds as many entries as the latest tree head", (ulong)entries.Count == head.TreeSize, $"{entries.Count} entries, head {head.TreeSize}");
        checks.Bulk("log", $"{entries.Count:N0} log entries replayed: signatures, windows, accreditation, issuer signatures, spent <= issued", entries.Count, report.IsClean, string.Join("; ", report.Violations.Take(3).Select(v => v.Detail)));
        checks.Bulk("log", $"{heads.Count:N0} collected tree heads signed by the scheme and consistent with the log", heads.Count, report.Violations.All(v => v.Kind is not (AuditViolationKind.BadTreeHeadSignature or AuditViolationKind.TreeHeadMismatch)), "");
        if (world.WitnessPolicy is { } policy)
        {
            var witnessed = policy.Evaluate(await world.Client.GetCheckpointAsync(cancellationToken));
            checks.Check("witnesses", $"the log's checkpoint is cosigned by at least {policy.Quorum} of the {policy.WitnessCount} witnesses", witnessed.IsAccepted, witnessed.ToString());
            int splitViews = world.Workers.Sum(w => w.Wallet.SplitViews.Count);
            checks.Check("witnesses", "no wallet holds evidence of a split view", splitViews == 0, $"{splitViews} pieces of evidence");
        }


        var verification = await world.Operator.VerifyLedgerAsync(cancellationToken);
        checks.Bulk("ledger", $"{verification.EntryCount:N0} journal entries replayed: hash chain, balances, keyset counters, spent set, outcomes", verification.EntryCount, verification.IsValid, string.Join("; ", verification.Problems.Take(3)));

        // Double entry: every account, including the (negative) contribution sources, sums to zero.
        var balances = new Dictionary<string, long>(StringComparer.Ordinal);
        async Task Read(LedgerAccount account) => balances[account.ToString()] = await world.Operator.GetBalanceAsync(account, cancellationToken);
        foreach (var source in Enum.GetValues<ContributionSource>())
        {
            await Read(LedgerAccount.Contribution(source));
        }

        foreach (var worker in world.Workers)
        {
            await Read(LedgerAccount.Worker(worker.Account));
        }

        foreach (var provider in world.Providers)
        {
            await Read(LedgerAccount.Provider(provider.Role.Record.Id));
            await Read(LedgerAccount.Payouts(provider.Role.Record.Id));
        }

        foreach (var keyset in world.AllKeysets)
        {
            await Read(LedgerAccount.Outstanding(keyset.Id));
        }

        await Read(LedgerAccount.Expired);
        await Read(LedgerAccount.DefaultPool);
        checks.Check("ledger", $"double entry: the {balances.Count:N0} accounts sum to zero", balances.Values.Sum() == 0, $"sum {balances.Values.Sum()}");
        checks.Check("ledger", "no account of a kind that must stay non-negative is negative", balances.Where(kv => !kv.Key.StartsWith(nameof(LedgerAccountKind.ContributionSource), StringComparison.Ordinal)).All(kv => kv.Value >= 0));
        foreach (var source in Enum.GetValues<ContributionSource>())
        {
            long recorded = world.Figures[$"source:{source}"];
            checks.Check("ledger", $"{source} contributions in the ledger equal the payroll records ({Money.Format(recorded)})", -balances[LedgerAccount.Contribution(source).ToString()] == recorded);
        }

        var audited = report.Keysets.ToDictionary(k => k.Keyset);
        foreach (var keyset in world.AllKeysets)
        {
            var totals = await world.Operator.GetKeysetTotalsAsync(keyset.Id, cancellationToken);
            var logged = audited.GetValueOrDefault(keyset.Id);
            long denomination = keyset.Denomination.MinorUnits;
            string name = $"epoch {keyset.Epoch} {keyset.Fund}/{Money.Format(denomination)}";
            checks.Check("keysets", $"{name}: value issued in the ledger - reversed = coins issued in the log x denomination", totals.Issued.MinorUnits - totals.Reversed.MinorUnits == (logged?.Issued ?? 0) * denomination);
            checks.Check("keysets", $"{name}: value deposited or swapped in the ledger = coins spent in the log x denomination", totals.Deposited.MinorUnits + totals.SwappedIn.MinorUnits == (logged?.Spent ?? 0) * denomination);
            checks.Check("keysets", $"{name}: closed, issued = deposited + swapped in + expired + reversed, nothing outstanding", totals.IsExpired && totals.Issued == totals.Deposited + totals.SwappedIn + totals.Expired + totals.Reversed && balances[LedgerAccount.Outstanding(keyset.Id).ToString()] == 0);
        }

        long loggedExpiry = entries.Where(e => e.Kind == LogEntryKind.KeysetExpired).Sum(e => e.Expiry!.Value.MinorUnits);
        var allocations = entries.Where(e => e.Kind == LogEntryKind.DefaultAllocated).Select(e => e.Allocation!).ToList();
        long allocatedExpiry = allocations.Where(a => a.Source == DefaultAllocationSource.ExpiredKeyset).Sum(a => a.Total.MinorUnits);
        checks.Check("ledger", "expired value in the log = expired value the logged default allocations moved on", loggedExpiry == allocatedExpiry && balances[LedgerAccount.Expired.ToString()] == 0, $"{Money.Format(loggedExpiry)} expired, {Money.Format(allocatedExpiry)} allocated");
        long loggedPool = allocations.Sum(a => a.Pooled.MinorUnits);
        checks.Check("ledger", "the default pool holds exactly what the logged allocations pooled", balances[LedgerAccount.DefaultPool.ToString()] == loggedPool && loggedPool == world.Figures["pooled"], $"{Money.Format(loggedPool)} logged");
        foreach (var provider in world.Providers)
        {
            long paidOut = world.Figures[$"paid-out-to:{provider.Id}"];
            long expected = world.Figures[$"deposited-to:{provider.Id}"] + world.Figures[$"default-to:{provider.Id}"] - world.Figures[$"refunded-by:{provider.Id}"] - paidOut;
            checks.Check("providers", $"{provider.Id}: payable = signed deposit receipts + default allocations - refunds - payouts ({Money.Format(expected)})", balances[LedgerAccount.Provider(provider.Role.Record.Id).ToString()] == expected);
            checks.Check("payouts", $"{provider.Id}: paid out in the ledger = the signed payout statements = the log's payout records ({Money.Format(paidOut)})", balances[LedgerAccount.Payouts(provider.Role.Record.Id).ToString()] == paidOut && LoggedPayouts(entries, provider.Role.Record.Id) == paidOut);
        }
    }

    private static long LoggedPayouts(IEnumerable<LogEntry> entries, Wallet.Protocol.AccountId provider) =>
        entries.Where(e => e.Kind == LogEntryKind.ProvidersPaidOut).SelectMany(e => e.ProvidersPaidOut!.Payouts).Where(p => p.Provider == provider).Sum(p => p.Amount.MinorUnits);
}
