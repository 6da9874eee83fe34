using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Ledger;

/// <summary>
/// Kills a real child process that is writing to a real SQLite ledger with SIGKILL, at random moments and at
/// named steps inside a write (entry appended but not committed, committed but not acknowledged, between two
/// operations of a batch), then reopens the file and checks every invariant, that every acknowledged result
/// survived, that no operation was half-applied, and that retrying the in-flight request has exactly one effect.
/// </summary>
/// <remarks>
/// SIGKILL ends the process but not the machine: the operating system's page cache survives, so these tests
/// prove atomicity and recovery, not durability against power loss. That rests on WAL with
/// <c>synchronous=FULL</c> (the WAL is fsynced at every commit), argued in docs/ledger.md ("Durability").
/// </remarks>
public sealed class SqliteLedgerCrashTests : IDisposable
{
    private const int Rounds = 5;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task KilledWriterLeavesNoHalfAppliedOperation()
    {
        string database = _temp.File();
        var acknowledged = new List<(string Key, string Status)>();
        for (int round = 0; round < Rounds; round++)
        {
            // Killed at a random moment after the round's first deposit was acknowledged: a fixed delay from start-up
            // acknowledged nothing on a loaded machine.
            acknowledged.AddRange((await RunAndKillAsync(database, round, killAfter: TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(0, 750)))).Acks);
            await CheckAsync(database, acknowledged);
        }

        // The crashes actually interrupted work: every round acknowledged something and some batches were deposits.
        Assert.True(acknowledged.Count(a => a.Key.EndsWith("-d", StringComparison.Ordinal)) >= Rounds, $"only {acknowledged.Count} operations acknowledged");
    }

    [Theory]
    [InlineData("after-append", 7)] // the 7th write is r0-1-d, a deposit with double-spent coins: written, not committed
    [InlineData("after-commit", 7)] // the same deposit committed, its response never sent
    [InlineData("mid-batch", 8)] // batch 1's deposit acknowledged, its swap about to start
    public async Task KillAtNamedStepThenRetryOfInFlightRequestHasExactlyOneEffect(string step, int count)
    {
        string database = _temp.File($"{step}.db");

        var run = await RunAndKillAsync(database, 0, killAfter: null, crashAt: (step, count));
        Assert.True(run.InFlight is not null, "the worker died with no request in flight");
        await CheckAsync(database, run.Acks);
        var (status, replay) = await RetryAsync(database, 0, run.InFlight);
        await CheckAsync(database, [.. run.Acks, (run.InFlight, status)]);

        Assert.Equal("Applied", status);
        Assert.Equal(step == "after-commit", replay);
        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM journal WHERE idempotency_key = $key";
        command.Parameters.AddWithValue("$key", run.InFlight);
        Assert.Equal(1L, (long)command.ExecuteScalar()!);
    }

    [Fact]
    public async Task ConsistencyCheckDetectsHalfAppliedOperation()
    {
        string database = _temp.File("half.db");
        await using (var store = await SqliteLedgerStore.OpenAsync(database))
        {
            var ledger = new SchemeLedger(store, new FakeTimeProvider());
            await ledger.ContributeAsync(new IdempotencyKey("c"), ContributionSource.Employer, new AccountId("w"), Amount.FromMinorUnits(10));
        }

        // What a torn write would leave: a coin marked spent with no entry that spent it.
        using (var connection = new SqliteConnection($"Data Source={database};Pooling=False"))
        {
            connection.Open();
            using var insert = connection.CreateCommand();
            insert.CommandText = "INSERT INTO spent_coins VALUES (zeroblob(32), zeroblob(32), 10, 2)";
            insert.ExecuteNonQuery();
        }

        await Assert.ThrowsAnyAsync<Xunit.Sdk.XunitException>(() => CheckAsync(database, []));
    }

    private static async Task<(List<(string Key, string Status)> Acks, string? InFlight)> RunAndKillAsync(
        string database, int round, TimeSpan? killAfter, (string Step, int Count)? crashAt = null)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WorkerPath());
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(round.ToString(System.Globalization.CultureInfo.InvariantCulture));
        if (crashAt is var (step, count))
        {
            start.Environment["WALLET_LEDGER_CRASH_AT"] = step;
            start.Environment["WALLET_LEDGER_CRASH_ON"] = count.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var acks = new List<(string, string)>();
        string? inFlight = null;
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstDeposit = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
            {
                return;
            }

            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
            else if (e.Data.StartsWith("begin ", StringComparison.Ordinal))
            {
                lock (acks)
                {
                    inFlight = e.Data["begin ".Length..];
                }
            }
            else if (e.Data.StartsWith("ack ", StringComparison.Ordinal))
            {
                var parts = e.Data.Split(' ');
                lock (acks)
                {
                    acks.Add((parts[1], parts[2]));
                    inFlight = null;
                }

                if (parts[1].EndsWith("-d", StringComparison.Ordinal))
                {
                    firstDeposit.TrySetResult();
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            if (killAfter is { } delay)
            {
                await Task.WhenAny(firstDeposit.Task, process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(120));
                await Task.Delay(delay);
            }
            else
            {
                // The worker kills itself at the named step; this only bounds a worker that never reaches it.
                await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            }
        }
        finally
        {
            // Process.Kill is SIGKILL on Unix: no finalisers, no rollback, no flush.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        Assert.NotEqual(0, process.ExitCode);
        lock (acks)
        {
            return ([.. acks], inFlight);
        }
    }

    /// <summary>Runs the worker once more to repeat one request with its original key, as a client would after a lost response.</summary>
    private static async Task<(string Status, bool Replay)> RetryAsync(string database, int round, string key)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WorkerPath());
        start.ArgumentList.Add(database);
        start.ArgumentList.Add(round.ToString(System.Globalization.CultureInfo.InvariantCulture));
        start.ArgumentList.Add("--retry");
        start.ArgumentList.Add(key);
        using var process = Process.Start(start)!;
        string output = await process.StandardOutput.ReadToEndAsync().WaitAsync(TimeSpan.FromSeconds(60));
        string errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, errors);
        var parts = output.Trim().Split(' ');
        Assert.Equal(["ack", key], parts[..2]);
        return (parts[2], bool.Parse(parts[3]));
    }

    private static async Task CheckAsync(string database, List<(string Key, string Status)> acknowledged)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(database);
        var ledger = new SchemeLedger(store, new FakeTimeProvider());

        var report = await ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));

        await using var tx = await store.BeginReadAsync(CancellationToken.None);
        foreach (var (key, status) in acknowledged)
        {
            var outcome = await tx.FindOutcomeAsync(new IdempotencyKey(key), CancellationToken.None);
            Assert.True(outcome is not null, $"acknowledged operation {key} was lost");
            Assert.Equal(status, outcome.Status.ToString());
        }

        // Each entry has its outcome record and every coin it spent, and nothing else is recorded: no half-applied operation.
        long coins = 0;
        await foreach (var entry in tx.ReadJournalAsync(1, CancellationToken.None))
        {
            var outcome = await tx.FindOutcomeAsync(entry.IdempotencyKey, CancellationToken.None);
            Assert.Equal(entry.Sequence, outcome?.EntrySequence);
            foreach (var coin in entry.SpentCoins)
            {
                Assert.Equal(entry.Sequence, await tx.FindSpentAsync(coin.Coin, CancellationToken.None));
                coins++;
            }
        }

        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        Assert.Equal(coins, Count(connection, "SELECT count(*) FROM spent_coins"));
        Assert.Equal(report.EntryCount, Count(connection, "SELECT count(*) FROM outcomes WHERE entry_seq IS NOT NULL"));
    }

    private static long Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }

    private static string WorkerPath()
    {
        // tests/Wallet.Storage.Sqlite.Tests/bin/<Configuration>/<tfm>/ -> tests/Wallet.Storage.Sqlite.CrashWorker/bin/<Configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = output.Name;
        string configuration = output.Parent!.Name;
        string tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        string path = Path.Combine(tests, "Wallet.Storage.Sqlite.CrashWorker", "bin", configuration, tfm, "Wallet.Storage.Sqlite.CrashWorker.dll");
        Assert.True(File.Exists(path), $"crash worker not built at {path}");
        return path;
    }
}
