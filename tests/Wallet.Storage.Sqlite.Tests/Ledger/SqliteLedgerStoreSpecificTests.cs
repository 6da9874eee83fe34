using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Sqlite.Tests.Ledger;

/// <summary>What only the SQLite store has: durability settings, schema versions, the materialised-state rebuild.</summary>
public sealed class SqliteLedgerStoreSpecificTests : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task DatabaseUsesWalWithFullSynchronousCommits()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());

        using var connection = Open();
        Assert.Equal("wal", Scalar(connection, "PRAGMA journal_mode"));
        var writer = typeof(SqliteLedgerStore).GetField("_writer", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(store)!;
        Assert.Equal(2L, Scalar((SqliteConnection)writer, "PRAGMA synchronous"));
    }

    [Fact]
    public async Task NewDatabaseRecordsCurrentSchemaVersion()
    {
        await using (await SqliteLedgerStore.OpenAsync(_temp.File()))
        {
        }

        using var connection = Open();
        Assert.Equal((long)SqliteLedgerStore.SchemaVersion, Scalar(connection, "SELECT version FROM ledger_schema"));
    }

    [Fact]
    public async Task DatabaseFromNewerVersionIsRefused()
    {
        await using (await SqliteLedgerStore.OpenAsync(_temp.File()))
        {
        }

        using (var connection = Open())
        {
            Scalar(connection, $"UPDATE ledger_schema SET version = {SqliteLedgerStore.SchemaVersion + 1}");
        }

        SqliteConnection.ClearAllPools();
        await Assert.ThrowsAsync<LedgerStoreException>(() => SqliteLedgerStore.OpenAsync(_temp.File()));
    }

    [Fact]
    public async Task TamperedMaterialisedBalanceIsDetectedAndRebuiltFromJournal()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await ledger.WithdrawAsync(Key("w1"), Worker(1), [Issue(1, 60)]);
        await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 60)]);
        using (var connection = Open())
        {
            Scalar(connection, "UPDATE balances SET balance = balance + 1 WHERE kind = 4");
            Scalar(connection, "UPDATE keysets SET deposited = 0");
        }

        var tampered = await ledger.VerifyAsync();
        long folded = await store.RebuildMaterializedStateAsync();
        var repaired = await ledger.VerifyAsync();

        Assert.False(tampered.IsValid);
        Assert.Contains(tampered.Problems, p => p.Contains("ProviderPayable:provider-1", StringComparison.Ordinal));
        Assert.Contains(tampered.Problems, p => p.Contains("keyset", StringComparison.Ordinal));
        Assert.Equal(3, folded);
        Assert.True(repaired.IsValid, string.Join("\n", repaired.Problems));
        Assert.Equal(60, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
    }

    [Fact]
    public async Task TamperedJournalEntryBreaksTheHashChain()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await ledger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(100));
        var genuine = await ledger.GetHeadAsync();
        using (var connection = Open())
        {
            // Rewrite entry 1 with a later timestamp: still canonical and balanced, but its hash changes.
            using var read = connection.CreateCommand();
            read.CommandText = "SELECT body FROM journal WHERE seq = 1";
            var body = (byte[])read.ExecuteScalar()!;
            body[1 + 8 + 1 + 1 + 2 + 7] ^= 1;
            using var write = connection.CreateCommand();
            write.CommandText = "UPDATE journal SET body = $b WHERE seq = 1";
            write.Parameters.AddWithValue("$b", body);
            write.ExecuteNonQuery();
        }

        var report = await ledger.VerifyAsync();

        Assert.Contains(report.Problems, p => p.StartsWith("entry 2 does not chain", StringComparison.Ordinal));
        Assert.Equal(genuine, await ledger.GetHeadAsync());
    }

    [Fact]
    public async Task CorruptJournalBytesAreATypedStoreError()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        using (var connection = Open())
        {
            Scalar(connection, "UPDATE journal SET body = x'0102'");
        }

        await Assert.ThrowsAsync<LedgerStoreException>(() => ledger.VerifyAsync());
    }

    [Fact]
    public async Task ConcurrentDepositsThroughSeparateConnectionsCreditEachCoinOnce()
    {
        const int Coins = 30;
        const int Stores = 6;
        await using (var setup = await SqliteLedgerStore.OpenAsync(_temp.File()))
        {
            var ledger = new SchemeLedger(setup, _time);
            await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(Coins));
            await ledger.WithdrawAsync(Key("w1"), Worker(1), [.. Enumerable.Range(0, Coins).Select(_ => Issue(1, 1))]);
        }

        // Separate store instances mean separate writer connections: only BEGIN IMMEDIATE serialises them.
        var stores = await Task.WhenAll(Enumerable.Range(0, Stores).Select(_ => SqliteLedgerStore.OpenAsync(_temp.File())));
        try
        {
            var coins = Enumerable.Range(0, Coins).Select(i => Spent(i, 1, 1)).ToArray();
            var results = await Task.WhenAll(stores.Select((store, s) => Task.Run(() =>
                new SchemeLedger(store, _time).DepositAsync(Key($"d-{s}"), Provider(s), coins.Skip(s % 3).ToArray()))));

            var credited = results.Where(r => r.Succeeded).SelectMany(r => r.Entry!.SpentCoins).Select(c => c.Coin).ToList();
            Assert.Equal(Coins, credited.Count);
            Assert.Equal(Coins, credited.Distinct().Count());
            Assert.All(results.Where(r => !r.Succeeded), r => Assert.Equal(LedgerStatus.DoubleSpend, r.Status));
            Assert.True((await new SchemeLedger(stores[0], _time).VerifyAsync()).IsValid);
        }
        finally
        {
            foreach (var store in stores)
            {
                await store.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task LostSpentCoinIsDetectedAndRestoredByRebuildSoTheCoinCannotBeDepositedAgain()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(1), Pence(20));
        await ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(1, 10), Issue(1, 10)]);
        var first = await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);
        using (var connection = Open())
        {
            Scalar(connection, "DELETE FROM spent_coins");
        }

        var lost = await ledger.VerifyAsync();
        await store.RebuildMaterializedStateAsync();
        long? restored = await ledger.FindSpentAsync(Coin(1));
        var second = await ledger.DepositAsync(Key("d2"), Provider(2), [Spent(1, 1, 10)]);
        var after = await ledger.VerifyAsync();

        Assert.False(lost.IsValid);
        Assert.Contains(lost.Problems, p => p.Contains("does not record as spent", StringComparison.Ordinal));
        Assert.Contains(lost.Problems, p => p.Contains("records 0 spent coins, the journal spends 1", StringComparison.Ordinal));
        Assert.Equal(first.Entry!.Sequence, restored);
        Assert.Equal(LedgerStatus.DoubleSpend, second.Status);
        Assert.True(after.IsValid, string.Join("\n", after.Problems));
    }

    [Fact]
    public async Task CoinRecordedAsSpentByAnotherEntryIsDetected()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(1), Pence(10));
        await ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(1, 10)]);
        await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)]);
        using (var connection = Open())
        {
            Scalar(connection, "UPDATE spent_coins SET entry_seq = 2");
        }

        var report = await ledger.VerifyAsync();

        Assert.Contains(report.Problems, p => p.Contains("which the store records as spent by entry 2", StringComparison.Ordinal));
    }

    [Fact]
    public async Task LostOutcomeOfAnEntryIsDetected()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        await ledger.WithdrawAsync(Key("w-refused"), Worker(1), [Issue(1, 11)]);
        await ledger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(10));
        Assert.True((await ledger.VerifyAsync()).IsValid);
        using (var connection = Open())
        {
            Scalar(connection, "DELETE FROM outcomes WHERE idempotency_key = 'c2'");
        }

        var report = await ledger.VerifyAsync();

        Assert.Contains(report.Problems, p => p.Contains("entry 2 has no applied outcome", StringComparison.Ordinal));
        Assert.Contains(report.Problems, p => p.Contains("1 outcomes naming an entry, the journal has 2 entries", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("a missing entry")]
    [InlineData("an entry of another journal in its place")]
    public async Task RebuildRefusesABrokenHashChainAndChangesNothing(string damage)
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));
        await ledger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(10));
        await ledger.ContributeAsync(Key("c3"), ContributionSource.Employer, Worker(1), Pence(10));

        // The same second entry in another journal whose first entry differs: its sequence fits, its previous hash does not.
        string other = _temp.File("other.db");
        await using (var otherStore = await SqliteLedgerStore.OpenAsync(other))
        {
            var otherLedger = new SchemeLedger(otherStore, _time);
            await otherLedger.ContributeAsync(Key("c0"), ContributionSource.Employer, Worker(1), Pence(7));
            await otherLedger.ContributeAsync(Key("c2"), ContributionSource.Employer, Worker(1), Pence(10));
        }

        using (var connection = Open())
        {
            Scalar(connection, "DELETE FROM journal WHERE seq = 2");
            if (damage == "an entry of another journal in its place")
            {
                Scalar(connection, $"ATTACH DATABASE '{other}' AS other");
                Scalar(connection, "INSERT INTO journal (seq, idempotency_key, hash, body) SELECT seq, idempotency_key, hash, body FROM other.journal WHERE seq = 2");
            }
        }

        await Assert.ThrowsAsync<LedgerStoreException>(() => store.RebuildMaterializedStateAsync());
        Assert.Equal(30, await ledger.GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
    }

    [Fact]
    public async Task JournalRefusesASecondEntryUnderTheSameIdempotencyKey()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));

        using var connection = Open();
        var ex = Assert.Throws<SqliteException>(() => Scalar(connection, "INSERT INTO journal (seq, idempotency_key, hash, body) SELECT 2, idempotency_key, hash, body FROM journal"));
        Assert.Equal(19, ex.SqliteErrorCode);
    }

    [Fact]
    public async Task OverflowingCounterCannotBeStoredAsReal()
    {
        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(1), Pence(10));
        await ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(1, 10)]);

        using var connection = Open();
        Assert.Throws<SqliteException>(() => Scalar(connection, "UPDATE keysets SET issued = issued + 9223372036854775807"));
        Assert.Throws<SqliteException>(() => Scalar(connection, "UPDATE balances SET balance = 1.5"));
        Assert.Equal("integer", Scalar(connection, "SELECT typeof(issued) FROM keysets"));
    }

    [Fact]
    public async Task VersionOneDatabaseMigratesToStrictTablesKeepingItsRows()
    {
        using (var connection = Open())
        {
            SqliteLedgerSchema.CreateAtVersion(connection, 1);
            Scalar(connection, "INSERT INTO balances (kind, key, balance) VALUES (2, 'worker-1', 7)");
        }

        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());

        Assert.Equal(7, await new SchemeLedger(store, _time).GetBalanceAsync(LedgerAccount.Worker(Worker(1))));
        using var check = Open();
        Assert.Equal((long)SqliteLedgerStore.SchemaVersion, Scalar(check, "SELECT version FROM ledger_schema"));
        Assert.Equal(5L, Scalar(check, "SELECT count(*) FROM pragma_table_list WHERE strict = 1 AND name IN ('journal', 'spent_coins', 'balances', 'keysets', 'outcomes')"));
    }

    [Fact]
    public async Task VersionTwoDatabaseMigratesWithNothingReversedAndCanReverse()
    {
        // A version 2 file has no reversed counter: its keysets reversed nothing, and reversals work after the upgrade.
        await using (var old = await SqliteLedgerStore.OpenAsync(_temp.File()))
        {
            var ledger = new SchemeLedger(old, _time);
            await ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(1), Pence(10));
            await ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(1, 10)]);
        }

        using (var connection = Open())
        {
            Scalar(connection, "ALTER TABLE keysets DROP COLUMN reversed");
            Scalar(connection, "UPDATE ledger_schema SET version = 2");
        }

        await using var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var upgraded = new SchemeLedger(store, _time);

        Assert.Equal(KeysetTotals.Empty(Keyset(1)) with { Issued = Pence(10) }, await upgraded.GetKeysetAsync(Keyset(1)));
        Assert.True((await upgraded.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(10))).Succeeded);
        Assert.Equal(Pence(10), (await upgraded.GetKeysetAsync(Keyset(1))).Reversed);
        Assert.True((await upgraded.VerifyAsync()).IsValid);
        using var check = Open();
        Assert.Equal(3L, Scalar(check, "SELECT version FROM ledger_schema"));
        Assert.Throws<SqliteException>(() => Scalar(check, "UPDATE keysets SET reversed = -1"));
    }

    [Fact]
    public async Task VersionOneDatabaseHoldingANonIntegerBalanceIsATypedError()
    {
        using (var connection = Open())
        {
            SqliteLedgerSchema.CreateAtVersion(connection, 1);
            Scalar(connection, "INSERT INTO balances (kind, key, balance) VALUES (2, 'worker-1', 9.3e18 + 9.3e18)");
        }

        await Assert.ThrowsAsync<LedgerStoreException>(() => SqliteLedgerStore.OpenAsync(_temp.File()));
    }

    [Fact]
    public async Task DisposingTheStoreRollsBackAnOpenWriteTransaction()
    {
        var store = await SqliteLedgerStore.OpenAsync(_temp.File());
        var tx = await store.BeginWriteAsync(CancellationToken.None);
        await tx.RecordOutcomeAsync(new IdempotencyRecord(Key("k"), new byte[32], LedgerStatus.InsufficientFunds, null, []), CancellationToken.None);

        store.Dispose();
        await tx.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await tx.CommitAsync(CancellationToken.None));

        await using var reopened = await SqliteLedgerStore.OpenAsync(_temp.File());
        await using var read = await reopened.BeginReadAsync(CancellationToken.None);
        Assert.Null(await read.FindOutcomeAsync(Key("k"), CancellationToken.None));
    }

    private SqliteConnection Open()
    {
        var connection = new SqliteConnection($"Data Source={_temp.File()};Pooling=False");
        connection.Open();
        return connection;
    }

    private static object? Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
