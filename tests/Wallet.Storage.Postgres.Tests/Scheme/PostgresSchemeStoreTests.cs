using Npgsql;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Wire;
using Wallet.Storage.Postgres.Ledger;
using Wallet.Storage.Postgres.Scheme;
using Wallet.Storage.Postgres.Tests.Server;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>The scheme store contract, unchanged, against a real PostgreSQL server; and the schema's own life: migration, reopening, sharing.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeStoreTests(PostgresFixture server) : SchemeStoreContract, IAsyncLifetime
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly List<PostgresSchemeStore> _stores = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            await store.DisposeAsync();
        }
    }

    [Fact]
    public async Task AnEmptySchemaIsMigratedToTheCurrentVersionWithOnlySchemePrefixedTables()
    {
        string schema = await server.NewSchemaAsync("scheme");
        await using var store = await PostgresSchemeStore.OpenAsync(schema);

        Assert.Equal(PostgresSchemeStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM scheme_schema"));
        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM scheme_schema"));
        Assert.Equal(0L, await server.ScalarAsync(schema, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name NOT LIKE 'scheme\\_%'"));
        Assert.Equal(15L, await server.ScalarAsync(schema, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name LIKE 'scheme\\_%'"));
    }

    [Fact]
    public async Task StateSurvivesReopeningAndTheSchemaIsNotMigratedTwice()
    {
        string schema = await server.NewSchemaAsync("scheme");
        var samples = new MessageSamples(71);
        var spend = samples.Spend();
        var announcement = samples.Announcement();
        var entry = samples.LogEntry();
        await using (var store = await PostgresSchemeStore.OpenAsync(schema))
        {
            await store.PutSpendsAsync([spend], None);
            await store.PutKeysetAsync(new StoredKeyset(announcement, 4, false), None);
            await store.PutLogEntryAsync(4, entry, "op-4", None);
        }

        await using var reopened = await PostgresSchemeStore.OpenAsync(schema);
        Assert.Equal(spend.Encode(), (await reopened.GetSpendAsync(spend.Coin.Id, None))!.Encode());
        Assert.Equal(announcement.Encode(), (await reopened.GetKeysetAsync(announcement.Descriptor.Id, None))!.Announcement.Encode());
        Assert.Equal(entry.Encode(), (await reopened.GetLogEntryAsync(4, None))!.Encode());
        Assert.Equal(4UL, await reopened.FindLogIndexAsync("op-4", None));
        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM scheme_schema"));
    }

    [Fact]
    public async Task ManyStoresOpeningOneEmptySchemaAtOnceMigrateItOnce()
    {
        string schema = await server.NewSchemaAsync("scheme");

        var stores = await Task.WhenAll(Enumerable.Range(0, 6).Select(_ => Task.Run(() => PostgresSchemeStore.OpenAsync(schema))));
        _stores.AddRange(stores);

        Assert.Equal(PostgresSchemeStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM scheme_schema"));
        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM scheme_schema"));
    }

    [Fact]
    public async Task ASchemaOfVersionOneKeysItsBlindSignaturesByDigestAndStillFindsThem()
    {
        string schema = await server.NewSchemaAsync("scheme");
        var samples = new MessageSamples(74);
        byte[] withdrawn = samples.Bytes(256), swapped = samples.Bytes(256), withdrawnSignature = samples.Bytes(256), swappedSignature = samples.Bytes(256);
        await (await PostgresSchemeStore.OpenAsync(schema)).DisposeAsync();

        // What version 1 held: each blind signature under its whole blinded message.
        await server.ScalarAsync(schema, $"""
            DROP TABLE scheme_issued_signatures;
            CREATE TABLE scheme_blind_signatures (blinded bytea PRIMARY KEY, signature bytea NOT NULL, account text);
            INSERT INTO scheme_blind_signatures VALUES
                (decode('{Convert.ToHexString(withdrawn)}', 'hex'), decode('{Convert.ToHexString(withdrawnSignature)}', 'hex'), 'worker-1'),
                (decode('{Convert.ToHexString(swapped)}', 'hex'), decode('{Convert.ToHexString(swappedSignature)}', 'hex'), NULL);
            UPDATE scheme_schema SET version = 1;
            """);

        for (int open = 0; open < 2; open++)
        {
            await using var store = await PostgresSchemeStore.OpenAsync(schema);
            var fromWithdrawal = Wallet.Crypto.BlindRsa.BlindedMessage.FromBytes(withdrawn);
            var fromSwap = Wallet.Crypto.BlindRsa.BlindedMessage.FromBytes(swapped);
            Assert.Equal(withdrawnSignature, (await store.FindBlindSignatureAsync(fromWithdrawal, None))!.ToArray());
            Assert.Equal(swappedSignature, (await store.FindBlindSignatureAsync(fromSwap, None))!.ToArray());
            Assert.Equal(new Protocol.AccountId("worker-1"), await store.FindWithdrawingAccountAsync(fromWithdrawal, None));
            Assert.Null(await store.FindWithdrawingAccountAsync(fromSwap, None));
            Assert.Null(await store.FindBlindSignatureAsync(Wallet.Crypto.BlindRsa.BlindedMessage.FromBytes(samples.Bytes(256)), None));
        }

        Assert.Equal(PostgresSchemeStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM scheme_schema"));
        Assert.Equal(0L, await server.ScalarAsync(schema, "SELECT count(*) FROM information_schema.tables WHERE table_schema = current_schema() AND table_name = 'scheme_blind_signatures'"));
        Assert.Equal(2L, await server.ScalarAsync(schema, "SELECT count(*) FROM scheme_issued_signatures WHERE length(digest) = 32"));
    }

    [Fact]
    public async Task ASchemaOfANewerVersionIsRefusedAndChangesNothing()
    {
        string schema = await server.NewSchemaAsync("scheme");
        await (await PostgresSchemeStore.OpenAsync(schema)).DisposeAsync();
        await server.ScalarAsync(schema, "UPDATE scheme_schema SET version = 99");

        var refused = await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresSchemeStore.OpenAsync(schema));

        Assert.Contains("99", refused.Message, StringComparison.Ordinal);
        Assert.Equal(99, await server.ScalarAsync(schema, "SELECT version FROM scheme_schema"));
    }

    [Fact]
    public async Task TheLedgerAndTheSchemeStoreShareOneSchemaAndOneDataSource()
    {
        string schema = await server.NewSchemaAsync("scheme");
        await using var dataSource = NpgsqlDataSource.Create(schema);
        await using (var ledger = PostgresLedgerStore.Create(dataSource))
        {
            await ledger.MigrateAsync(None);
            var samples = new MessageSamples(72);
            var spend = samples.Spend();
            await using (var store = await PostgresSchemeStore.OpenAsync(dataSource))
            {
                await store.PutSpendsAsync([spend], None);
            }

            // The borrowed data source outlives the scheme store: the ledger and a second scheme store still use it.
            await using var again = await PostgresSchemeStore.OpenAsync(dataSource);
            Assert.Equal(spend.Encode(), (await again.GetSpendAsync(spend.Coin.Id, None))!.Encode());
        }

        Assert.Equal(PostgresSchemeStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM scheme_schema"));
        Assert.Equal(PostgresLedgerStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM ledger_schema"));
    }

    [Fact]
    public async Task ACorruptRowReadsAsAFormatErrorNeverAsAWrongValue()
    {
        string schema = await server.NewSchemaAsync("scheme");
        await using var store = await PostgresSchemeStore.OpenAsync(schema);
        var samples = new MessageSamples(73);
        var spend = samples.Spend();
        var record = samples.ContributionRecord();
        await store.PutSpendsAsync([spend], None);
        await store.PutContributionRecordsAsync([record], None);

        await server.ScalarAsync(schema, "UPDATE scheme_spends SET spend = '\\x00'::bytea");
        await server.ScalarAsync(schema, "UPDATE scheme_contributions SET day = day + 1");

        await Assert.ThrowsAsync<ProtocolFormatException>(async () => await store.GetSpendAsync(spend.Coin.Id, None));
        await Assert.ThrowsAsync<ProtocolFormatException>(async () => await store.GetContributionRecordAsync(record.LedgerKey, None));
    }

    [Fact]
    public async Task ADisposedStoreRefusesWorkAndACancelledCallTouchesNothing()
    {
        string schema = await server.NewSchemaAsync("scheme");
        var store = await PostgresSchemeStore.OpenAsync(schema);
        var spend = new MessageSamples(74).Spend();
        using (var cancelled = new CancellationTokenSource())
        {
            await cancelled.CancelAsync();
            await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.PutSpendsAsync([spend], cancelled.Token));
        }

        Assert.Null(await store.GetSpendAsync(spend.Coin.Id, None));
        await store.DisposeAsync();
        await store.DisposeAsync();
        await Assert.ThrowsAsync<ObjectDisposedException>(async () => await store.GetSpendAsync(spend.Coin.Id, None));
    }

    protected override ISchemeStore CreateStore()
    {
        var store = PostgresSchemeStore.OpenAsync(server.NewSchemaAsync("scheme").GetAwaiter().GetResult()).GetAwaiter().GetResult();
        _stores.Add(store);
        return store;
    }
}
