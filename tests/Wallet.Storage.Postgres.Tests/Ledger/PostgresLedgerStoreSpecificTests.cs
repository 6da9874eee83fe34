using Microsoft.Extensions.Time.Testing;
using Npgsql;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Tests.Server;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Storage.Postgres.Tests.Ledger;

/// <summary>What only the PostgreSQL store has: schema versions, keyset partitions and their archiving, the rebuild.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresLedgerStoreSpecificTests(PostgresFixture server)
{
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 9, 30, 0, TimeSpan.Zero));

    [Fact]
    public async Task NewSchemaRecordsCurrentSchemaVersion()
    {
        string schema = await server.NewSchemaAsync();
        await using (await PostgresLedgerStore.OpenAsync(schema))
        {
        }

        Assert.Equal(PostgresLedgerStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM ledger_schema"));
    }

    [Fact]
    public async Task SchemaRefusesADuplicateJournalKeyAndNegativeCounters()
    {
        // Second safeguards under the ledger's own checks (schema version 2): one journal entry per idempotency key,
        // and keyset counters that can never be stored negative.
        string schema = await server.NewSchemaAsync();
        await using (await PostgresLedgerStore.OpenAsync(schema))
        {
        }

        await server.ScalarAsync(schema, "INSERT INTO journal (seq, idempotency_key, hash, body) VALUES (1, 'k', '\\x00', '\\x00')");
        var duplicate = await Assert.ThrowsAsync<PostgresException>(() => server.ScalarAsync(schema, "INSERT INTO journal (seq, idempotency_key, hash, body) VALUES (2, 'k', '\\x00', '\\x00')"));
        Assert.Equal(PostgresErrorCodes.UniqueViolation, duplicate.SqlState);
        var negative = await Assert.ThrowsAsync<PostgresException>(() => server.ScalarAsync(schema, "INSERT INTO keysets VALUES ('\\x01', -1, 0, 0, 0, false)"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, negative.SqlState);
    }

    [Fact]
    public async Task VersionThreeSchemaMigratesWithNothingReversedAndCanReverse()
    {
        // A version 3 schema has no reversed counter: its keysets reversed nothing, and reversals work after the upgrade.
        string schema = await server.NewSchemaAsync();
        await using (var old = await PostgresLedgerStore.OpenAsync(schema))
        {
            var ledger = new SchemeLedger(old, _time);
            await ledger.ContributeAsync(Key("c"), ContributionSource.Employer, Worker(1), Pence(10));
            await ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(1, 10)]);
        }

        await server.ScalarAsync(schema, "ALTER TABLE keysets DROP COLUMN reversed");
        await server.ScalarAsync(schema, "DROP INDEX balances_worker_funds");
        await server.ScalarAsync(schema, "UPDATE ledger_schema SET version = 3");

        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var upgraded = new SchemeLedger(store, _time);

        Assert.Equal(KeysetTotals.Empty(Keyset(1)) with { Issued = Pence(10) }, await upgraded.GetKeysetAsync(Keyset(1)));
        Assert.True((await upgraded.ReverseWithdrawalAsync(Key("w"), Worker(1), Pence(10))).Succeeded);
        Assert.Equal(Pence(10), (await upgraded.GetKeysetAsync(Keyset(1))).Reversed);
        Assert.True((await upgraded.VerifyAsync()).IsValid);
        Assert.Equal(PostgresLedgerStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM ledger_schema"));
        var negative = await Assert.ThrowsAsync<PostgresException>(() => server.ScalarAsync(schema, "UPDATE keysets SET reversed = -1"));
        Assert.Equal(PostgresErrorCodes.CheckViolation, negative.SqlState);
    }

    [Fact]
    public async Task ConcurrentOpenersMigrateTheSchemaOnce()
    {
        string schema = await server.NewSchemaAsync();

        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => PostgresLedgerStore.OpenAsync(schema)));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM ledger_schema"));
    }

    [Fact]
    public async Task SchemaFromNewerVersionIsRefused()
    {
        string schema = await server.NewSchemaAsync();
        await using (await PostgresLedgerStore.OpenAsync(schema))
        {
        }

        await server.ScalarAsync(schema, $"UPDATE ledger_schema SET version = {PostgresLedgerStore.SchemaVersion + 1}");

        await Assert.ThrowsAsync<LedgerStoreException>(() => PostgresLedgerStore.OpenAsync(schema));
    }

    [Fact]
    public async Task UnreachableServerIsATypedStoreError()
    {
        var builder = new NpgsqlConnectionStringBuilder(server.AdminConnectionString) { Port = 1, Timeout = 3 };

        await Assert.ThrowsAsync<LedgerStoreException>(() => PostgresLedgerStore.OpenAsync(builder.ConnectionString));
    }

    [Fact]
    public async Task EachKeysetSpendsIntoItsOwnPartition()
    {
        string schema = await server.NewSchemaAsync();
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var ledger = new SchemeLedger(store, _time);
        await FundAsync(ledger, 1, 100);
        await FundAsync(ledger, 2, 100);
        await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10), Spent(2, 1, 10), Spent(3, 2, 10)]);

        Assert.Equal(2L, await server.ScalarAsync(schema, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'spent_coins'::regclass"));
        Assert.Equal(2L, await server.ScalarAsync(schema, $"SELECT count(*) FROM {PostgresLedgerStore.PartitionTableName(Keyset(1))}"));
        Assert.Equal(1L, await server.ScalarAsync(schema, $"SELECT count(*) FROM {PostgresLedgerStore.PartitionTableName(Keyset(2))}"));
    }

    [Fact]
    public async Task ArchivingRefusesKeysetThatIsNotExpired()
    {
        string schema = await server.NewSchemaAsync();
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var ledger = new SchemeLedger(store, _time);
        await FundAsync(ledger, 1, 100);

        Assert.Equal(KeysetArchiveStatus.NotExpired, await store.ArchiveKeysetAsync(Keyset(1)));
        Assert.Equal(KeysetArchiveStatus.UnknownKeyset, await store.ArchiveKeysetAsync(Keyset(9)));
        Assert.True((await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10)])).Succeeded);
        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM pg_inherits WHERE inhparent = 'spent_coins'::regclass"));
    }

    [Fact]
    public async Task ArchivedKeysetRefusesDepositsAndStaysQueryableForAudit()
    {
        string schema = await server.NewSchemaAsync();
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        await using var otherNode = await PostgresLedgerStore.OpenAsync(schema);
        var ledger = new SchemeLedger(store, _time);
        await FundAsync(ledger, 1, 100);
        await FundAsync(ledger, 2, 100);
        var deposit = await new SchemeLedger(otherNode, _time).DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 10), Spent(2, 1, 20)]);
        await ledger.ExpireAsync(Key("e1"), Keyset(1));

        var archived = await store.ArchiveKeysetAsync(Keyset(1));
        var again = await store.ArchiveKeysetAsync(Keyset(1));

        Assert.Equal(KeysetArchiveStatus.Archived, archived);
        Assert.Equal(KeysetArchiveStatus.AlreadyArchived, again);
        string table = PostgresLedgerStore.PartitionTableName(Keyset(1));
        Assert.Equal(0L, await server.ScalarAsync(schema, $"SELECT count(*) FROM pg_inherits WHERE inhrelid = '{table}'::regclass"));
        Assert.Equal(30L, (long)(decimal)(await server.ScalarAsync(schema, $"SELECT sum(amount) FROM {table} WHERE entry_seq = {deposit.Entry!.Sequence}"))!);

        // The ledger refuses by status; the store refuses even an entry that skips the ledger's checks, on
        // this node and on one whose partition cache predates the archive.
        Assert.Equal(LedgerStatus.KeysetExpired, (await ledger.DepositAsync(Key("d2"), Provider(1), [Spent(3, 1, 10)])).Status);
        foreach (var node in new[] { store, otherNode })
        {
            await using var tx = await node.BeginWriteAsync(CancellationToken.None);
            var head = await tx.GetHeadAsync(CancellationToken.None);
            var entry = CreateEntry(head, Key("raw"), [new Posting(LedgerAccount.Expired, -10), new Posting(LedgerAccount.Provider(Provider(2)), 10)], [Spent(3, 1, 10)]);
            await Assert.ThrowsAsync<LedgerStoreException>(async () => await tx.AppendAsync(entry, CancellationToken.None));
        }

        Assert.True((await ledger.DepositAsync(Key("d3"), Provider(1), [Spent(4, 2, 10)])).Succeeded);
        var report = await ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task TamperedMaterialisedBalanceIsDetectedAndRebuiltFromJournal()
    {
        string schema = await server.NewSchemaAsync();
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var ledger = new SchemeLedger(store, _time);
        await FundAsync(ledger, 1, 100);
        await ledger.DepositAsync(Key("d1"), Provider(1), [Spent(1, 1, 60)]);
        await server.ScalarAsync(schema, "UPDATE balances SET balance = balance + 1 WHERE kind = 4; UPDATE keysets SET deposited = 0");

        var tampered = await ledger.VerifyAsync();
        long folded = await store.RebuildMaterializedStateAsync();
        var repaired = await ledger.VerifyAsync();

        Assert.False(tampered.IsValid);
        Assert.Contains(tampered.Problems, p => p.Contains("ProviderPayable:provider-1", StringComparison.Ordinal));
        Assert.Equal(3, folded);
        Assert.True(repaired.IsValid, string.Join("\n", repaired.Problems));
        Assert.Equal(60, await ledger.GetBalanceAsync(LedgerAccount.Provider(Provider(1))));
    }

    [Fact]
    public async Task CorruptJournalBytesAreATypedStoreError()
    {
        string schema = await server.NewSchemaAsync();
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(100));
        await server.ScalarAsync(schema, "UPDATE journal SET body = '\\x0102'::bytea");

        await Assert.ThrowsAsync<LedgerStoreException>(() => ledger.VerifyAsync());
    }

    [Fact]
    public async Task WriteOnAnotherNodeIsSeenByTheNextWriterHere()
    {
        // Each node keeps the balances it last wrote; the other node's commit moves the head, so they are not trusted.
        string schema = await server.NewSchemaAsync();
        await using var here = await PostgresLedgerStore.OpenAsync(schema);
        await using var there = await PostgresLedgerStore.OpenAsync(schema);
        var ledgerHere = new SchemeLedger(here, _time);
        var ledgerThere = new SchemeLedger(there, _time);
        Assert.True((await ledgerHere.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(2), Pence(100))).Succeeded);
        Assert.True((await ledgerHere.WithdrawAsync(Key("w1"), Worker(2), [Issue(1, 10)])).Succeeded);

        Assert.True((await ledgerThere.WithdrawAsync(Key("w2"), Worker(2), [Issue(1, 90)])).Succeeded);
        var overdraw = await ledgerHere.WithdrawAsync(Key("w3"), Worker(2), [Issue(1, 10)]);

        Assert.Equal(LedgerStatus.InsufficientFunds, overdraw.Status);
        Assert.Equal(0, await ledgerHere.GetBalanceAsync(LedgerAccount.Worker(Worker(2))));
        Assert.Equal(100, (await ledgerHere.GetKeysetAsync(Keyset(1))).Issued.MinorUnits);
        var report = await ledgerHere.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task WriterWaitsAtItsFirstStatementAndSeesTheEarlierCommit()
    {
        string schema = await server.NewSchemaAsync();
        await using var store = await PostgresLedgerStore.OpenAsync(schema);
        var ledger = new SchemeLedger(store, _time);
        await ledger.ContributeAsync(Key("c1"), ContributionSource.Employer, Worker(1), Pence(10));

        await using var first = await store.BeginWriteAsync(CancellationToken.None);
        var head = await first.GetHeadAsync(CancellationToken.None);
        await using var second = await store.BeginWriteAsync(CancellationToken.None);
        var secondHead = second.GetHeadAsync(CancellationToken.None).AsTask();
        await Task.Delay(300);
        Assert.False(secondHead.IsCompleted);

        var entry = CreateEntry(head, Key("raw"), [new Posting(LedgerAccount.Worker(Worker(1)), -4), new Posting(LedgerAccount.Worker(Worker(2)), 4)], []);
        await first.AppendAsync(entry, CancellationToken.None);
        await first.RecordOutcomeAsync(new IdempotencyRecord(Key("raw"), new byte[32], LedgerStatus.Applied, entry.Sequence, []), CancellationToken.None);
        await first.CommitAsync(CancellationToken.None);

        Assert.Equal(entry.Sequence, (await secondHead.WaitAsync(TimeSpan.FromSeconds(30))).Sequence);
        Assert.Equal(6, await second.GetBalanceAsync(LedgerAccount.Worker(Worker(1)), CancellationToken.None));
    }

    private JournalEntry CreateEntry(JournalHead head, IdempotencyKey key, Posting[] postings, SpentCoin[] coins) =>
        RawJournalEntry.After(head, key, _time.GetUtcNow(), postings, coins);

    private static async Task FundAsync(SchemeLedger ledger, int keyset, long value)
    {
        Assert.True((await ledger.ContributeAsync(Key($"fund-c-{keyset}"), ContributionSource.Employer, Worker(1), Pence(value))).Succeeded);
        Assert.True((await ledger.WithdrawAsync(Key($"fund-w-{keyset}"), Worker(1), [Issue(keyset, value)])).Succeeded);
    }
}
