using System.Diagnostics;
using System.Globalization;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.CrashWorker;

/// <summary>
/// Drives payroll batches (<see cref="SchemeLedger.ContributeBatchAsync"/>) into a SQLite ledger: batch <c>b</c> has
/// <see cref="Lines"/> lines keyed <c>pay-b&lt;b&gt;-&lt;j&gt;</c>. It prints <c>begin &lt;b&gt;</c> and, once the batch
/// returned, <c>ack &lt;b&gt; &lt;applied&gt; &lt;replays&gt;</c>. With <see cref="BatchVariable"/> and <see cref="LineVariable"/>
/// set it kills itself with SIGKILL right after appending that line of that batch (entries written, nothing
/// committed), or with <see cref="LineVariable"/> <c>commit</c> right after that batch's commit.
/// </summary>
/// <remarks>Usage: <c>CrashWorker payroll &lt;database&gt; &lt;batches&gt;</c>, or <c>... --retry &lt;b&gt;</c> to send one batch again.</remarks>
internal static class PayrollWork
{
    public const int Lines = 50;

    /// <summary>The batch (0-based) in which to die.</summary>
    public const string BatchVariable = "WALLET_PAYROLL_CRASH_BATCH";

    /// <summary>The line (1-based) after whose append to die, or <c>commit</c>.</summary>
    public const string LineVariable = "WALLET_PAYROLL_CRASH_LINE";

    public static async Task<int> RunAsync(string database, int batches, int? retry)
    {
        int crashBatch = int.TryParse(Environment.GetEnvironmentVariable(BatchVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int b) ? b : -1;
        string? crashLine = Environment.GetEnvironmentVariable(LineVariable);
        int writes = -1;
        int appends = 0;
        void OnStep(string step)
        {
            if (step == FaultInjectingLedgerStore.BeginWriteStep)
            {
                (writes, appends) = (writes + 1, 0);
            }
            else if (writes == crashBatch && step == FaultInjectingLedgerStore.AfterAppendStep && (++appends).ToString(CultureInfo.InvariantCulture) == crashLine)
            {
                Kill();
            }
            else if (writes == crashBatch && step == FaultInjectingLedgerStore.AfterCommitStep && crashLine == "commit")
            {
                Kill();
            }
        }

        await using var sqlite = await SqliteLedgerStore.OpenAsync(database);
        var ledger = new SchemeLedger(new FaultInjectingLedgerStore(sqlite) { OnStep = OnStep }, TimeProvider.System);
        foreach (int batch in retry is int only ? [only] : Enumerable.Range(0, batches))
        {
            Console.WriteLine($"begin {batch}");
            var results = await ledger.ContributeBatchAsync(Batch(batch));
            Console.WriteLine($"ack {batch} {results.Count(r => r.Succeeded)} {results.Count(r => r.IsReplay)}");
        }

        return 0;
    }

    /// <summary>Batch <paramref name="batch"/>, rebuilt identically on every run so a retry sends the same lines.</summary>
    public static ContributionLine[] Batch(int batch) =>
        [.. Enumerable.Range(0, Lines).Select(j => new ContributionLine(new IdempotencyKey($"pay-b{batch}-{j}"), ContributionSource.Employer, new AccountId($"worker-{j % 7}"), Amount.FromMinorUnits(100 + j)))];

    private static void Kill()
    {
        Console.Out.Flush();
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
