using Wallet.Protocol.Keysets;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Sqlite.Scheme;
using Wallet.Storage.Sqlite.Tests.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Scheme;

public sealed class SqliteSchemeStoreTests : SchemeStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly List<SqliteSchemeStore> _stores = [];

    protected override ISchemeStore CreateStore()
    {
        var store = SqliteSchemeStore.Open(_database.File($"scheme-{_stores.Count}.db"));
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task StateSurvivesReopening()
    {
        string path = _database.File("reopen.db");
        var samples = new MessageSamples(11);
        var spend = samples.Spend();
        var announcement = samples.Announcement();
        using (var store = SqliteSchemeStore.Open(path))
        {
            await store.PutSpendsAsync([spend], CancellationToken.None);
            await store.PutKeysetAsync(new StoredKeyset(announcement, 0, false), CancellationToken.None);
        }

        using var reopened = SqliteSchemeStore.Open(path);
        Assert.Equal(spend.Encode(), (await reopened.GetSpendAsync(spend.Coin.Id, CancellationToken.None))!.Encode());
        Assert.Equal(announcement.Encode(), (await reopened.GetKeysetAsync(announcement.Descriptor.Id, CancellationToken.None))!.Announcement.Encode());
    }

    [Fact]
    public async Task DatabaseOfTheFirstSchemaIsMigratedAndKeepsItsWithdrawals()
    {
        string path = _database.File("v0.db");
        var samples = new MessageSamples(12);
        var blinded = samples.Bytes(256);
        var oldEntry = samples.LogEntry();
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE blind_signatures (blinded BLOB PRIMARY KEY, signature BLOB NOT NULL);
                INSERT INTO blind_signatures (blinded, signature) VALUES ($b, $b);
                CREATE TABLE log_entries (idx INTEGER PRIMARY KEY, entry BLOB NOT NULL);
                INSERT INTO log_entries (idx, entry) VALUES (0, $e);
                """;
            command.Parameters.AddWithValue("$b", blinded);
            command.Parameters.AddWithValue("$e", oldEntry.Encode());
            command.ExecuteNonQuery();
        }

        using (var store = SqliteSchemeStore.Open(path))
        {
            var message = Wallet.Crypto.BlindRsa.BlindedMessage.FromBytes(blinded);
            Assert.NotNull(await store.FindBlindSignatureAsync(message, CancellationToken.None));
            Assert.Null(await store.FindWithdrawingAccountAsync(message, CancellationToken.None));
            Assert.Null(await store.GetSwapAsync(new Protocol.IdempotencyKey("k"), CancellationToken.None));

            // Entries logged before operation keys existed stay readable; new ones are found by their operation.
            Assert.Equal(oldEntry.Encode(), (await store.GetLogEntryAsync(0, CancellationToken.None))!.Encode());
            await store.PutLogEntryAsync(1, samples.LogEntry(), "op", CancellationToken.None);
            Assert.Equal(1UL, await store.FindLogIndexAsync("op", CancellationToken.None));
        }

        // Opening again does not migrate twice.
        using var reopened = SqliteSchemeStore.Open(path);
        Assert.Null(await reopened.GetSwapSpendAsync(new MessageSamples(13).CoinId(), CancellationToken.None));
        Assert.Equal(1UL, await reopened.FindLogIndexAsync("op", CancellationToken.None));
    }

    [Fact]
    public async Task DatabaseOfTheSecondSchemaDropsItsVersion1DepositReceiptsAndStoresPaymentOutcomes()
    {
        string path = _database.File("v2.db");
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = """
                CREATE TABLE deposits (provider TEXT NOT NULL, idem TEXT NOT NULL, request_hash BLOB NOT NULL, receipt BLOB NOT NULL, PRIMARY KEY (provider, idem));
                INSERT INTO deposits VALUES ('union-a', 'd1', x'00', x'01');
                PRAGMA user_version = 2;
                """;
            command.ExecuteNonQuery();
        }

        var samples = new MessageSamples(14);
        var receipt = samples.DepositReceipt();
        var payments = new Protocol.Deposits.DepositPaymentOutcome[] { new(receipt.Payments[0], Protocol.Deposits.DepositPaymentStatus.Accepted, null, []) };
        using (var store = SqliteSchemeStore.Open(path))
        {
            // The version 1 receipt cannot be read as version 2; a replay of its key is answered from the ledger again.
            Assert.Null(await store.GetDepositAsync(new Protocol.AccountId("union-a"), new Protocol.IdempotencyKey("d1"), CancellationToken.None));
            await store.PutDepositAsync(new Protocol.Deposits.StoredDeposit(samples.Bytes(32), receipt) { Payments = payments }, CancellationToken.None);
        }

        using var reopened = SqliteSchemeStore.Open(path);
        var stored = await reopened.GetDepositAsync(receipt.Provider, receipt.IdempotencyKey, CancellationToken.None);
        Assert.Equal(receipt.Encode(), stored!.Receipt.Encode());
        Assert.Equal(payments, stored.Payments.Select(p => p with { DoubleSpendProofs = [] }));
    }

    [Fact]
    public void StoreHoldingVersion1PaymentRequestsIsRefusedAndAnEmptyOneMigrates()
    {
        string held = _database.File("v3-held.db");
        string empty = _database.File("v3-empty.db");
        SqliteSchemeStore.Open(held).Dispose();
        SqliteSchemeStore.Open(empty).Dispose();
        foreach (var (path, sql) in new[] { (held, "INSERT INTO spends VALUES (x'01', x'02'); PRAGMA user_version = 3;"), (empty, "PRAGMA user_version = 3;") })
        {
            RawFile.Execute(path, sql);
        }

        // First spends are double-spend evidence: a store whose spends this version cannot decode is refused, not misread.
        var refused = Assert.Throws<InvalidOperationException>(() => SqliteSchemeStore.Open(held));
        Assert.Contains("version 1 payment requests", refused.Message, StringComparison.Ordinal);
        SqliteSchemeStore.Open(empty).Dispose();
        Assert.Equal(6L, RawFile.Scalar(empty, "PRAGMA user_version"));
    }

    [Fact]
    public async Task StoreOfTheFifthSchemaKeysItsBlindSignaturesByDigestAndStillFindsThem()
    {
        string path = _database.File("v5.db");
        var samples = new MessageSamples(16);
        byte[] withdrawn = samples.Bytes(256), swapped = samples.Bytes(256), withdrawnSignature = samples.Bytes(256), swappedSignature = samples.Bytes(256);

        // What a version 5 file held: each blind signature under its whole blinded message.
        RawFile.Execute(
            path,
            """
            CREATE TABLE blind_signatures (blinded BLOB PRIMARY KEY, signature BLOB NOT NULL, account TEXT);
            INSERT INTO blind_signatures (blinded, signature, account) VALUES ($w, $ws, 'worker-1'), ($s, $ss, NULL);
            PRAGMA user_version = 5;
            """,
            ("$w", withdrawn),
            ("$ws", withdrawnSignature),
            ("$s", swapped),
            ("$ss", swappedSignature));

        for (int open = 0; open < 2; open++)
        {
            using var store = SqliteSchemeStore.Open(path);
            var fromWithdrawal = Wallet.Crypto.BlindRsa.BlindedMessage.FromBytes(withdrawn);
            var fromSwap = Wallet.Crypto.BlindRsa.BlindedMessage.FromBytes(swapped);
            Assert.Equal(withdrawnSignature, (await store.FindBlindSignatureAsync(fromWithdrawal, CancellationToken.None))!.ToArray());
            Assert.Equal(swappedSignature, (await store.FindBlindSignatureAsync(fromSwap, CancellationToken.None))!.ToArray());
            Assert.Equal(new Protocol.AccountId("worker-1"), await store.FindWithdrawingAccountAsync(fromWithdrawal, CancellationToken.None));
            Assert.Null(await store.FindWithdrawingAccountAsync(fromSwap, CancellationToken.None));
            Assert.Null(await store.FindBlindSignatureAsync(Wallet.Crypto.BlindRsa.BlindedMessage.FromBytes(samples.Bytes(256)), CancellationToken.None));
        }

        // The whole messages are gone from the file: only their digests key the signatures.
        Assert.Equal(
            (0L, 2L, 6L),
            ((long)RawFile.Scalar(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'blind_signatures'")!, (long)RawFile.Scalar(path, "SELECT COUNT(*) FROM issued_signatures WHERE length(digest) = 32")!, (long)RawFile.Scalar(path, "PRAGMA user_version")!));
    }

    [Fact]
    public async Task StoreOfTheFourthSchemaMovesItsKeysetsToTheSchemeKeysetsTable()
    {
        string path = _database.File("v4.db");
        var announcement = new MessageSamples(15).Announcement();
        using (var store = SqliteSchemeStore.Open(path))
        {
            await store.PutKeysetAsync(new StoredKeyset(announcement, 7, true), CancellationToken.None);
        }

        // What a version 4 file looked like: the same rows in a table named keysets.
        RawFile.Execute(path, "ALTER TABLE scheme_keysets RENAME TO keysets; PRAGMA user_version = 4;");

        using (var migrated = SqliteSchemeStore.Open(path))
        {
            var stored = await migrated.GetKeysetAsync(announcement.Descriptor.Id, CancellationToken.None);
            Assert.Equal(announcement.Encode(), stored!.Announcement.Encode());
            Assert.Equal(7UL, stored.LogIndex);
            Assert.True(stored.Revoked);
        }

        // The old table is gone, so the file can sit beside a ledger's keysets table (SqliteSchemeDatabase).
        Assert.Equal(0L, RawFile.Scalar(path, "SELECT COUNT(*) FROM sqlite_master WHERE name = 'keysets'"));
    }

    public void Dispose()
    {
        foreach (var s in _stores)
        {
            s.Dispose();
        }

        _database.Dispose();
    }
}
