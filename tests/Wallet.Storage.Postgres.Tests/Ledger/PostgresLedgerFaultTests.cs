using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Tests.Server;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>
/// Concurrency and failure on the real server: many connections depositing overlapping batches, a backend
/// terminated in the middle of a transaction, and the server restarted under load. Afterwards every coin is
/// spent exactly once, nothing is half-applied, and retries with the same idempotency key had one effect.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerFaultTests(PostgresFixture server)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));

    [Fact]
    public async Task ManyConnectionsDepositingOverlappingBatchesSpendEachCoinOnce()
    {
        const int Coins = 400;
        const int Nodes = 8;
        const int Tasks = 32;
        string schema = await server.NewSchemaAsync();
        await using (var setup = await PostgresLedgerStore.OpenAsync(schema))
        {
            var ledger = new SchemeLedger(setup, _time);
            await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(Coins));
            Assert.True((await ledger.WithdrawAsync(Key("w1"), Worker(1), [.. Enumerable.Range(0, Coins).Select(i => Issue(1 + (i % 2), 1))])).Succeeded);
        }

        // Separate store instances have separate connection pools, as separate service nodes would.
        var nodes = await Task.WhenAll(Enumerable.Range(0, Nodes).Select(_ => PostgresLedgerStore.OpenAsync(schema)));
        try
        {
            var coins = Enumerable.Range(0, Coins).Select(i => Spent(i, 1 + (i % 2), 1)).ToArray();
            var results = await Task.WhenAll(Enumerable.Range(0, Tasks).Select(t => Task.Run(() =>
            {
                var batch = Enumerable.Range(0, 50).Select(j => coins[((t * 13) + (j * 7)) % Coins]).Distinct().ToArray();
                return new SchemeLedger(nodes[t % Nodes], _time).DepositAsync(Key($"d-{t}"), Provider(t % 5), batch);
            })));

            var credited = results.Where(r => r.Succeeded).SelectMany(r => r.Entry!.SpentCoins).Select(c => c.Coin).ToList();
            Assert.Equal(credited.Count, credited.Distinct().Count());
            long offered = coins.Count(c => results.Any(r => r.Succeeded && r.Entry!.SpentCoins.Contains(c)));
            Assert.Equal(offered, credited.Count);
            Assert.Equal((long)credited.Count, await server.ScalarAsync(schema, "SELECT count(*) FROM spent_coins"));
            Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(LedgerStatus.DoubleSpend, r.Status));
            Assert.True(results.Sum(r => r.Conflicts.Count) > 0, "the batches did not overlap");

            var ledger = new SchemeLedger(nodes[0], _time);
            long providers = 0;
            for (int p = 0; p < 5; p++)
            {
                providers += await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(p)));
            }

            Assert.Equal(credited.Count, providers);
            var report = await ledger.VerifyAsync();
            Assert.True(report.IsValid, string.Join("\n", report.Problems));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task TerminatedBackendMidTransactionAppliesNothingAndRetryAppliesOnce()
    {
        string schema = new NpgsqlConnectionStringBuilder(await server.NewSchemaAsync()) { ApplicationName = "walletcore-victim" }.ConnectionString;
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var pausing = new PausingLedgerStore(store);
        var ledger = new SchemeLedger(pausing, _time);
        await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 60), Issue(1, 40)]);

        var paused = pausing.PauseNextAppend();
        var deposit = ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 60), Spent(2, 1, 40)]);
        await paused.WaitAsync(TimeSpan.FromSeconds(30));

        // The entry and its spent coins are written but not committed when the backend dies.
        object? terminated = await server.ScalarAsync(server.AdminConnectionString,
            "SELECT count(*) FROM (SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'walletcore-victim' AND state = 'idle in transaction') t");
        pausing.Resume();

        Assert.Equal(1L, terminated);
        await Assert.ThrowsAsync<LedgerStoreException>(() => deposit);
        Assert.Null(await ledger.FindSpentAsync(Coin(1)));
        Assert.Equal(0, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        Assert.Equal(2, (await ledger.GetHeadAsync()).Sequence);

        var retry = await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 60), Spent(2, 1, 40)]);
        var again = await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 60), Spent(2, 1, 40)]);

        Assert.True(retry.Succeeded);
        Assert.False(retry.IsReplay);
        Assert.True(again.IsReplay);
        Assert.Equal(retry.Entry!.Hash, again.Entry!.Hash);
        Assert.Equal(100, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
        var report = await ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task ServerRestartDuringRunLeavesNothingHalfApplied()
    {
        // The workers run until the restart is behind them, however fast the machine: a fixed round count
        // finished before a fixed delay on a fast CI host, and then nothing was interrupted.
        const int Workers = 4;
        const int RoundsBeforeRestart = 8;
        const int RoundsAfterRestart = 5;
        string schema = await server.NewSchemaAsync();
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var ledger = new SchemeLedger(store, _time);
        int failures = 0;
        int restarted = 0;
        var rounds = new int[Workers];
        var roundsAtRestart = new int[Workers];

        async Task<LedgerResult> UntilAnsweredAsync(Func<Task<LedgerResult>> operation)
        {
            for (int attempt = 0; ; attempt++)
            {
                try
                {
                    return await operation();
                }
                catch (LedgerStoreException) when (attempt < 200)
                {
                    // The caller's contract: no answer means retry with the same key.
                    Interlocked.Increment(ref failures);
                    await Task.Delay(50);
                }
            }
        }

        bool Finished(int w) =>
            Volatile.Read(ref restarted) == 1 && Volatile.Read(ref rounds[w]) >= Volatile.Read(ref roundsAtRestart[w]) + RoundsAfterRestart;

        var replays = new List<LedgerResult>();
        async Task WorkerAsync(int w)
        {
            for (int r = 0; !Finished(w); r++)
            {
                int coin = (w * 100_000) + r;
                var contributed = await UntilAnsweredAsync(() => ledger.ContributeAsync(Key($"c-{coin}"), ContributionSource.Employer, Worker(w), Pence(10)));
                var withdrawn = await UntilAnsweredAsync(() => ledger.WithdrawAsync(Key($"w-{coin}"), Worker(w), [Issue(1 + (r % 2), 10)]));
                var deposited = await UntilAnsweredAsync(() => ledger.DepositAsync(Key($"d-{coin}"), Provider(w), [Spent(coin, 1 + (r % 2), 10)]));
                Assert.True(contributed.Succeeded && withdrawn.Succeeded && deposited.Succeeded, $"{contributed.Status} {withdrawn.Status} {deposited.Status}");
                lock (replays)
                {
                    replays.AddRange(new[] { contributed, withdrawn, deposited }.Where(x => x.IsReplay));
                }

                Interlocked.Increment(ref rounds[w]);
            }
        }

        var run = Task.WhenAll(Enumerable.Range(0, Workers).Select(w => Task.Run(() => WorkerAsync(w))));
        var started = Stopwatch.StartNew();
        while (Enumerable.Range(0, Workers).Any(w => Volatile.Read(ref rounds[w]) < RoundsBeforeRestart))
        {
            Assert.False(run.IsCompleted, "the workers stopped before the restart");
            Assert.True(started.Elapsed < TimeSpan.FromMinutes(2), "the workers made no progress before the restart");
            await Task.Delay(10);
        }

        for (int w = 0; w < Workers; w++)
        {
            Volatile.Write(ref roundsAtRestart[w], Volatile.Read(ref rounds[w]));
        }

        Assert.False(run.IsCompleted, "the run ended before the restart");
        await server.RestartAsync();
        Volatile.Write(ref restarted, 1);
        await run.WaitAsync(TimeSpan.FromMinutes(2));

        Assert.True(failures > 0, "the restart interrupted nothing");
        int total = rounds.Sum();
        var report = await ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
        Assert.Equal(total * 3, report.EntryCount);
        for (int w = 0; w < Workers; w++)
        {
            Assert.Equal(rounds[w] * 10, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(w))));
            Assert.Equal(0, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(w))));
        }

        Assert.Equal((long)total, await server.ScalarAsync(schema, "SELECT count(*) FROM spent_coins"));
        Assert.Equal((long)report.EntryCount, await server.ScalarAsync(schema, "SELECT count(*) FROM outcomes WHERE entry_seq IS NOT NULL"));
        Assert.Equal(0L, await server.ScalarAsync(schema, "SELECT count(*) FROM outcomes o LEFT JOIN journal j ON j.seq = o.entry_seq WHERE o.entry_seq IS NOT NULL AND j.seq IS NULL"));
    }
}
