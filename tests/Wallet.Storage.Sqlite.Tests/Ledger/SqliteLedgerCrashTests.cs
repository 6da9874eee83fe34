using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Ledger;

/// <summary>
/// Kills a real child process that is writing to a real SQLite ledger with SIGKILL at random moments, then
/// reopens the file and checks every invariant, that every acknowledged result survived, and that no
/// operation was half-applied.
/// </summary>
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
            acknowledged.AddRange(await RunAndKillAsync(database, round, killAfter: TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(150, 900))));
            await CheckAsync(database, acknowledged);
        }

        // The crashes actually interrupted work: every round acknowledged something and some batches were deposits.
        Assert.True(acknowledged.Count(a => a.Key.EndsWith("-d", StringComparison.Ordinal)) >= Rounds, $"only {acknowledged.Count} operations acknowledged");
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

    private static async Task<List<(string Key, string Status)>> RunAndKillAsync(string database, int round, TimeSpan killAfter)
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

        var acks = new List<(string, string)>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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
            else if (e.Data.StartsWith("ack ", StringComparison.Ordinal))
            {
                var parts = e.Data.Split(' ');
                lock (acks)
                {
                    acks.Add((parts[1], parts[2]));
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(killAfter);
        }
        finally
        {
            // Process.Kill is SIGKILL on Unix: no finalisers, no rollback, no flush.
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        Assert.NotEqual(0, process.ExitCode);
        lock (acks)
        {
            return [.. acks];
        }
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
