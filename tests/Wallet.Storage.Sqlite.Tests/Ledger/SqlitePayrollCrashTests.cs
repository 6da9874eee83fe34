using System.Diagnostics;
using System.Globalization;
using Microsoft.Extensions.Time.Testing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Ledger;

/// <summary>
/// A payroll batch is one SQLite transaction: a writer killed with SIGKILL in the middle of a batch (some of its
/// lines appended, none committed) leaves none of its lines behind, and sending the batch again applies every line
/// exactly once; killed just after the commit, the batch is all there and its retry is all replays.
/// </summary>
public sealed class SqlitePayrollCrashTests : IDisposable
{
    private const int Lines = 50;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Theory]
    [InlineData("1")]
    [InlineData("25")]
    [InlineData("50")]
    public async Task WriterKilledMidBatchLeavesNoLineOfItAndTheRetryAppliesEachOnce(string line)
    {
        string database = _temp.File($"mid-{line}.db");

        var (acks, code) = await RunAsync(database, ["3"], (2, line));
        Assert.NotEqual(0, code);
        Assert.Equal(["0", "1"], acks.Select(a => a[0]));

        await CheckAsync(database, committedBatches: 2, absentBatch: 2);
        var (retry, retryCode) = await RunAsync(database, ["3", "--retry", "2"], null);
        Assert.Equal(0, retryCode);
        Assert.Equal(["2", $"{Lines}", "0"], Assert.Single(retry));
        await CheckAsync(database, committedBatches: 3, absentBatch: null);
    }

    [Fact]
    public async Task WriterKilledAfterTheCommitLeavesTheWholeBatchAndTheRetryReplaysIt()
    {
        string database = _temp.File("commit.db");

        var (acks, code) = await RunAsync(database, ["3"], (1, "commit"));
        Assert.NotEqual(0, code);
        Assert.Equal(["0"], acks.Select(a => a[0]));

        await CheckAsync(database, committedBatches: 2, absentBatch: 2);
        var (retry, _) = await RunAsync(database, ["3", "--retry", "1"], null);
        Assert.Equal(["1", $"{Lines}", $"{Lines}"], Assert.Single(retry));
        await CheckAsync(database, committedBatches: 2, absentBatch: 2);
    }

    private static async Task CheckAsync(string database, int committedBatches, int? absentBatch)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(database);
        var report = await new SchemeLedger(store, new FakeTimeProvider()).VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.Equal(committedBatches * Lines, report.EntryCount);

        await using var tx = await store.BeginReadAsync(CancellationToken.None);
        for (int batch = 0; batch < committedBatches; batch++)
        {
            for (int j = 0; j < Lines; j++)
            {
                Assert.NotNull(await tx.FindOutcomeAsync(Key(batch, j), CancellationToken.None));
            }
        }

        if (absentBatch is int absent)
        {
            for (int j = 0; j < Lines; j++)
            {
                Assert.Null(await tx.FindOutcomeAsync(Key(absent, j), CancellationToken.None));
            }
        }

        Assert.Equal(report.EntryCount, await tx.CountEntryOutcomesAsync(CancellationToken.None));
    }

    private static IdempotencyKey Key(int batch, int line) => new($"pay-b{batch}-{line}");

    private static async Task<(List<string[]> Acks, int ExitCode)> RunAsync(string database, string[] args, (int Batch, string Line)? crashAt)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(WorkerPath());
        start.ArgumentList.Add("payroll");
        start.ArgumentList.Add(database);
        foreach (string arg in args)
        {
            start.ArgumentList.Add(arg);
        }

        if (crashAt is var (batch, line))
        {
            start.Environment["WALLET_PAYROLL_CRASH_BATCH"] = batch.ToString(CultureInfo.InvariantCulture);
            start.Environment["WALLET_PAYROLL_CRASH_LINE"] = line;
        }

        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(120));
        _ = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        var acks = output.Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(l => l.StartsWith("ack ", StringComparison.Ordinal))
            .Select(l => l.Trim().Split(' ')[1..])
            .ToList();
        return (acks, process.ExitCode);
    }

    private static string WorkerPath()
    {
        // tests/Wallet.Storage.Sqlite.Tests/bin/<Configuration>/<tfm>/ -> tests/Wallet.Storage.Sqlite.CrashWorker/bin/<Configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.FullName, "Wallet.Storage.Sqlite.CrashWorker", "bin", output.Parent.Name, output.Name, "Wallet.Storage.Sqlite.CrashWorker.dll");
        Assert.True(File.Exists(path), $"crash worker not built at {path}");
        return path;
    }
}
