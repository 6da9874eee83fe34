using Wallet.Crypto.Merkle;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Xunit.Abstractions;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// The books a crash soak checks once its load stopped, over the PB/1 and operator APIs: per worker, funded = balance +
/// withdrawn; per provider, deposit receipts = payable = what it was paid; keyset totals = what the parties saw; the
/// ledger verifies; and the whole log, replayed by the auditor against every tree head handed out, agrees with the
/// ledger per keyset.
/// </summary>
internal static class SoakBooks
{
    public static async Task CheckAsync(CrashSoakWorld world, ITestOutputHelper output)
    {
        foreach (var worker in world.Workers)
        {
            var wallet = worker.Wallet;
            Assert.Empty(wallet.PendingWithdrawals);
            Assert.Empty(wallet.PendingSwaps);
            long balance = await world.Operator.GetBalanceAsync(LedgerAccount.Worker(wallet.Account));
            long receipts = wallet.WithdrawalReceipts.Sum(r => r.Total.MinorUnits);
            output.WriteLine($"{wallet.Account}: funded {CrashSoakWorld.Funded} = balance {balance} + withdrawn {receipts}; wallet {wallet.Balance.MinorUnits} + paid {worker.Paid}");
            Assert.Equal(receipts, worker.Withdrawn);
            Assert.Equal(CrashSoakWorld.Funded, balance + receipts);
            Assert.Equal(receipts, wallet.Balance.MinorUnits + worker.Paid);
        }

        foreach (var provider in world.Providers)
        {
            long payable = await world.Operator.GetBalanceAsync(LedgerAccount.Provider(provider.Role.Record.Id));
            output.WriteLine($"{provider.Role.Record.Id}: receipts {provider.Receipts} = payable {payable} = paid {provider.Paid}");
            Assert.Equal(provider.Receipts, payable);
            Assert.Equal(provider.Paid, payable);
        }

        long issued = 0, deposited = 0, swappedIn = 0;
        foreach (var keyset in world.Keysets)
        {
            var totals = await world.Operator.GetKeysetTotalsAsync(keyset.Id);
            issued += totals.Issued.MinorUnits;
            deposited += totals.Deposited.MinorUnits;
            swappedIn += totals.SwappedIn.MinorUnits;
        }

        Assert.Equal(world.Workers.Sum(w => w.Withdrawn) + world.Swapped, issued);
        Assert.Equal(world.Providers.Sum(p => p.Receipts), deposited);
        Assert.Equal(world.Swapped, swappedIn);
        var verification = await world.Operator.VerifyLedgerAsync();
        Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
    }

    // The whole log through the PB/1 client, replayed by the auditor against every tree head handed out, and compared
    // per keyset with the ledger's counters.
    public static async Task<List<LogEntry>> AuditAsync(CrashSoakWorld world, List<SignedTreeHead> heads, ITestOutputHelper output)
    {
        var head = await world.Client.GetTreeHeadAsync();
        heads.Add(head);
        var entries = new List<LogEntry>();
        for (ulong i = 0; await world.Client.GetLogEntryAsync(i) is { } entry; i++)
        {
            entries.Add(entry);
        }

        Assert.Equal(head.TreeSize, (ulong)entries.Count);
        var report = new LogAuditor(world.SchemeKey, world.AccreditationKey.PublicKey).Audit(entries, heads);
        Assert.True(report.IsClean, string.Join("\n", report.Violations.Select(v => $"{v.Kind}: {v.Detail}")));
        foreach (var keyset in world.Keysets)
        {
            var totals = await world.Operator.GetKeysetTotalsAsync(keyset.Id);
            var logged = report.Keysets.Single(k => k.Keyset == keyset.Id);
            long denomination = keyset.Denomination.MinorUnits;
            Assert.Equal(totals.Issued.MinorUnits, logged.Issued * denomination);
            Assert.Equal(totals.Deposited.MinorUnits + totals.SwappedIn.MinorUnits, logged.Spent * denomination);
        }

        output.WriteLine($"log: {entries.Count} entries, {heads.Count} tree heads, audit clean, ledger = log on {world.Keysets.Count} keysets");
        return entries;
    }

    /// <summary>
    /// Audits the log, runs expiry past every deposit window (the unspent coins leave for the expired account, logged
    /// once each), checks every keyset's totals close, and audits again against the same tree heads.
    /// </summary>
    /// <returns>The value expired.</returns>
    public static async Task<long> ExpireAndAuditAsync(CrashSoakWorld world, ITestOutputHelper output)
    {
        var heads = world.TreeHeads.ToList();
        var before = await AuditAsync(world, heads, output);
        await world.MoveServerClockAsync(world.Opened.AddDays(4));
        long expired = 0;
        foreach (var keyset in world.Keysets)
        {
            var record = await world.Operator.ExpireKeysetAsync(keyset.Id);
            Assert.NotNull(record);
            expired += record.Value.MinorUnits;
        }

        Assert.Equal(world.Workers.Sum(w => w.Wallet.Balance.MinorUnits), expired);
        foreach (var keyset in world.Keysets)
        {
            var totals = await world.Operator.GetKeysetTotalsAsync(keyset.Id);
            Assert.True(totals.IsExpired);
            Assert.Equal(totals.Issued, totals.Deposited + totals.SwappedIn + totals.Expired);
            Assert.Equal(0, await world.Operator.GetBalanceAsync(LedgerAccount.Outstanding(keyset.Id)));
        }

        var after = await AuditAsync(world, heads, output);
        Assert.Equal(world.Keysets.Count, after.Count(e => e.Kind == LogEntryKind.KeysetExpired) - before.Count(e => e.Kind == LogEntryKind.KeysetExpired));
        Assert.True((await world.Operator.VerifyLedgerAsync()).IsValid);
        return expired;
    }
}
