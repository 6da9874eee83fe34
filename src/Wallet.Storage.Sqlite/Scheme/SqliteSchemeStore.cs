using System.Security.Cryptography;

namespace Wallet.Storage.Sqlite.Scheme;

/// <summary>
/// An <see cref="ISchemeStore"/> in a SQLite file. Every value is stored in its canonical PB/1 encoding and decoded
/// on read, so a corrupted row surfaces as <see cref="Protocol.Wire.ProtocolFormatException"/>, never as a wrong value.
/// "First write wins" methods use INSERT OR IGNORE.
/// </summary>
public sealed partial class SqliteSchemeStore : ISchemeStore, IDisposable
{
    private readonly StoreConnection _connection;

    private SqliteSchemeStore(StoreConnection connection) => _connection = connection;

    /// <summary>Opens (creating if needed) a scheme store database.</summary>
    /// <param name="path">The database file.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="SqliteException">The file cannot be opened or is not a database.</exception>
    public static SqliteSchemeStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        var connection = SqliteConnections.Open(path);
        try
        {
            CreateTables(connection);
            return new SqliteSchemeStore(new StoreConnection(connection, typeof(SqliteSchemeStore)));
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>The scheme store of a <see cref="SqliteSchemeDatabase"/>: its tables in the database's file, its writes in the database's operations.</summary>
    internal static SqliteSchemeStore OpenShared(SqliteSharedWriter shared)
    {
        CreateTables(shared.Connection);
        return new SqliteSchemeStore(new StoreConnection(shared));
    }

    private static void CreateTables(SqliteConnection connection)
    {
        SqliteConnections.Execute(connection, """
            CREATE TABLE IF NOT EXISTS scheme_keysets (id BLOB PRIMARY KEY, seq INTEGER NOT NULL, announcement BLOB NOT NULL, log_index INTEGER NOT NULL, revoked INTEGER NOT NULL);
            CREATE TABLE IF NOT EXISTS accounts (account TEXT PRIMARY KEY, key BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS withdrawals (account TEXT NOT NULL, idem TEXT NOT NULL, request_hash BLOB NOT NULL, response BLOB NOT NULL, PRIMARY KEY (account, idem));
            CREATE TABLE IF NOT EXISTS spends (coin BLOB PRIMARY KEY, spend BLOB NOT NULL);
            CREATE TABLE IF NOT EXISTS deposits (provider TEXT NOT NULL, idem TEXT NOT NULL, request_hash BLOB NOT NULL, receipt BLOB NOT NULL, payments BLOB NOT NULL, PRIMARY KEY (provider, idem));
            CREATE TABLE IF NOT EXISTS log_entries (idx INTEGER PRIMARY KEY, entry BLOB NOT NULL, op TEXT);
            CREATE TABLE IF NOT EXISTS registries (version INTEGER PRIMARY KEY, registry BLOB NOT NULL);
            """);
        Migrate(connection);
        CreateRefundTables(connection);
        CreateStatementTables(connection);
    }

    /// <inheritdoc/>
    public ValueTask PutKeysetAsync(StoredKeyset keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return Write(cancellationToken, c => SqliteConnections.Execute(c,
            "INSERT OR IGNORE INTO scheme_keysets (id, seq, announcement, log_index, revoked) VALUES ($id, (SELECT COUNT(*) FROM scheme_keysets), $a, $i, $r)",
            ("$id", keyset.Announcement.Descriptor.Id.Bytes.ToArray()), ("$a", keyset.Announcement.Encode()), ("$i", (long)keyset.LogIndex), ("$r", keyset.Revoked ? 1 : 0)));
    }

    /// <inheritdoc/>
    public ValueTask<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return _connection.WriteAsync(cancellationToken, c =>
        {
            using var command = SqliteConnections.Command(c, null, "UPDATE scheme_keysets SET revoked = 1 WHERE id = $id", ("$id", keyset.Bytes.ToArray()));
            return command.ExecuteNonQuery() == 1;
        });
    }

    /// <inheritdoc/>
    public ValueTask<StoredKeyset?> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return Read(cancellationToken, c => Keysets(c, "WHERE id = $id", ("$id", keyset.Bytes.ToArray())).FirstOrDefault());
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredKeyset>> ListKeysetsAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<StoredKeyset>>(cancellationToken, c => Keysets(c, "ORDER BY seq"));

    /// <inheritdoc/>
    public ValueTask PutAccountKeyAsync(AccountId account, Ed25519PublicKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(key);
        return Write(cancellationToken, c => SqliteConnections.Execute(c, "INSERT OR REPLACE INTO accounts (account, key) VALUES ($a, $k)", ("$a", account.Value), ("$k", key.Export())));
    }

    /// <inheritdoc/>
    public ValueTask<Ed25519PublicKey?> GetAccountKeyAsync(AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT key FROM accounts WHERE account = $a", ("$a", account.Value)) is byte[] key ? Ed25519PublicKey.Import(key) : null);
    }

    /// <inheritdoc/>
    public ValueTask<bool> HasAccountAsync(AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT 1 FROM accounts WHERE account = $a", ("$a", account.Value)) is not null);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlySet<AccountId>> FindRegisteredAccountsAsync(IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        foreach (var account in accounts)
        {
            ArgumentNullException.ThrowIfNull(account, nameof(accounts));
        }

        // One statement prepared once and bound per account (a payroll batch asks for hundreds at a time).
        return Read<IReadOnlySet<AccountId>>(cancellationToken, c =>
        {
            using var lookup = SqliteConnections.Command(c, null, "SELECT 1 FROM accounts WHERE account = $a", ("$a", null));
            var parameter = lookup.Parameters["$a"];
            var found = new HashSet<AccountId>();
            foreach (var account in accounts)
            {
                parameter.Value = account.Value;
                if (!found.Contains(account) && lookup.ExecuteScalar() is not null)
                {
                    found.Add(account);
                }
            }

            return found;
        });
    }

    /// <inheritdoc/>
    public ValueTask PutWithdrawalAsync(WithdrawalRequest request, WithdrawalResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(response);
        return Write(cancellationToken, c =>
        {
            using var insert = SqliteConnections.Command(
                c,
                null,
                "INSERT OR IGNORE INTO withdrawals (account, idem, request_hash, response) VALUES ($a, $i, $h, $r)",
                ("$a", request.Account.Value), ("$i", request.IdempotencyKey.Value), ("$h", request.Hash()), ("$r", response.Encode()));
            if (insert.ExecuteNonQuery() == 1)
            {
                IndexBlindSignatures(c, null, request.Items.Select(item => item.BlindedMessage), response.BlindSignatures, request.Account.Value);
            }
        });
    }

    /// <inheritdoc/>
    public ValueTask<StoredWithdrawal?> GetWithdrawalAsync(AccountId account, IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(key);
        return ReadAnswer(cancellationToken, "SELECT request_hash, response FROM withdrawals WHERE account = $o AND idem = $i", account, key, (hash, answer) => new StoredWithdrawal(hash, WithdrawalResponse.Decode(answer)));
    }

    /// <inheritdoc/>
    public ValueTask<BlindSignature?> FindBlindSignatureAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blindedMessage);
        return Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT signature FROM issued_signatures WHERE digest = $d", ("$d", IssuedDigest(blindedMessage))) is byte[] s ? BlindSignature.FromBytes(s) : null);
    }

    /// <inheritdoc/>
    public ValueTask PutSpendsAsync(IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(spends);
        return Write(cancellationToken, c =>
        {
            InsertSpends(c, null, "INSERT OR IGNORE INTO spends (coin, spend) VALUES ($c, $s)", spends.Select(s => (s.Coin, s.Encode())));
        });
    }

    /// <inheritdoc/>
    public ValueTask<CoinSpend?> GetSpendAsync(CoinId coin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coin);
        return Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT spend FROM spends WHERE coin = $c", ("$c", coin.Bytes.ToArray())) is byte[] s ? CoinSpend.Decode(s) : null);
    }

    /// <inheritdoc/>
    public ValueTask PutDepositAsync(StoredDeposit deposit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        return Write(cancellationToken, c => SqliteConnections.Execute(c,
            "INSERT OR IGNORE INTO deposits (provider, idem, request_hash, receipt, payments) VALUES ($p, $i, $h, $r, $y)",
            ("$p", deposit.Receipt.Provider.Value), ("$i", deposit.Receipt.IdempotencyKey.Value), ("$h", deposit.RequestHash.ToArray()), ("$r", deposit.Receipt.Encode()), ("$y", Protocol.Binding.PbEnvelopes.EncodeDepositPayments(deposit.Payments))));
    }

    /// <inheritdoc/>
    public ValueTask<StoredDeposit?> GetDepositAsync(AccountId provider, IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(key);
        return Read(cancellationToken, c => SqliteConnections.Rows(
            c,
            "SELECT request_hash, receipt, payments FROM deposits WHERE provider = $o AND idem = $i",
            r => new StoredDeposit((byte[])r[0], DepositReceipt.Decode((byte[])r[1])) { Payments = Protocol.Binding.PbEnvelopes.DecodeDepositPayments((byte[])r[2]) },
            ("$o", provider.Value),
            ("$i", key.Value)).FirstOrDefault());
    }

    /// <inheritdoc/>
    public ValueTask PutLogEntryAsync(ulong index, LogEntry entry, string operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(entry);
        ArgumentException.ThrowIfNullOrEmpty(operation);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(index, (ulong)long.MaxValue);
        return Write(cancellationToken, c =>
        {
            using var command = SqliteConnections.Command(
                c,
                null,
                "DELETE FROM log_entries WHERE op = $o AND idx <> $i; INSERT OR REPLACE INTO log_entries (idx, entry, op) VALUES ($i, $e, $o)",
                ("$o", operation), ("$i", (long)index), ("$e", entry.Encode()));
            command.ExecuteNonQuery();
        });
    }

    /// <inheritdoc/>
    public ValueTask<ulong?> FindLogIndexAsync(string operation, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(operation);
        return Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT idx FROM log_entries WHERE op = $o", ("$o", operation)) is long i ? (ulong?)i : null);
    }

    /// <inheritdoc/>
    public ValueTask<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken) =>
        Read(cancellationToken, c => index <= long.MaxValue && SqliteConnections.Scalar(c, "SELECT entry FROM log_entries WHERE idx = $i", ("$i", (long)index)) is byte[] e ? LogEntry.Decode(e) : null);

    /// <inheritdoc/>
    public ValueTask PutRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return Write(cancellationToken, c => SqliteConnections.Execute(c, "INSERT OR IGNORE INTO registries (version, registry) VALUES ($v, $r)", ("$v", (long)registry.Version), ("$r", registry.Encode())));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<AccreditationRegistry>>(cancellationToken, c =>
            SqliteConnections.Rows(c, "SELECT registry FROM registries ORDER BY version", r => AccreditationRegistry.Decode((byte[])r[0])));

    /// <inheritdoc/>
    public ValueTask<AccountId?> FindWithdrawingAccountAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(blindedMessage);
        return Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT account FROM issued_signatures WHERE digest = $d", ("$d", IssuedDigest(blindedMessage))) is string a ? new AccountId(a) : null);
    }

    /// <inheritdoc/>
    public ValueTask PutSwapAsync(IdempotencyKey key, StoredSwap swap, IReadOnlyList<BlindedMessage> outputs, IReadOnlyList<SwapSpend> spends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(swap);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(spends);
        if (outputs.Count != swap.Response.BlindSignatures.Length)
        {
            throw new ArgumentException("One blinded message per blind signature.", nameof(outputs));
        }

        return Write(cancellationToken, c =>
        {
            using var insert = SqliteConnections.Command(
                c,
                null,
                "INSERT OR IGNORE INTO swaps (idem, request_hash, response) VALUES ($i, $h, $r)",
                ("$i", key.Value), ("$h", swap.RequestHash.ToArray()), ("$r", swap.Response.Encode()));
            if (insert.ExecuteNonQuery() == 1)
            {
                IndexBlindSignatures(c, null, outputs, swap.Response.BlindSignatures, account: null);
                InsertSpends(c, null, "INSERT OR IGNORE INTO swap_spends (coin, spend) VALUES ($c, $s)", spends.Select(s => (s.Coin, s.Encode())));
            }
        });
    }

    /// <inheritdoc/>
    public ValueTask<StoredSwap?> GetSwapAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Read(cancellationToken, c => SqliteConnections.Rows(
            c,
            "SELECT request_hash, response FROM swaps WHERE idem = $i",
            r => new StoredSwap((byte[])r[0], SwapResponse.Decode((byte[])r[1])),
            ("$i", key.Value)).FirstOrDefault());
    }

    /// <inheritdoc/>
    public ValueTask<SwapSpend?> GetSwapSpendAsync(CoinId coin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coin);
        return Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT spend FROM swap_spends WHERE coin = $c", ("$c", coin.Bytes.ToArray())) is byte[] s ? SwapSpend.Decode(s) : null);
    }

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _connection.Dispose();

    // Schema version 1 (PRAGMA user_version): swaps and their input spends, and the withdrawing account of each
    // blinded message (recovery after revocation). Rows written before it carry no account and cannot be recovered.
    // Schema versions (PRAGMA user_version): 1 adds swaps and the account of each blind signature; 2 adds the
    // operation key of each log entry (exactly-once logging, docs/PROTOCOL.md 5.6); 3 per-payment deposit outcomes;
    // 4 marks stores whose spends hold PB/1 version 2 payment requests; 5 renames keysets to scheme_keysets; 6 keys each
    // blind signature by the SHA-256 of its blinded message (issued_signatures) instead of the message itself.
    private static void Migrate(SqliteConnection connection)
    {
        long version = SqliteConnections.Scalar(connection, "PRAGMA user_version") is long v ? v : 0;
        if (version < 1)
        {
            // A file of the first schema has blind_signatures without the account (version 6 moves them); a new file has
            // issued_signatures from version 6 and never this table.
            Apply(connection, (SqliteConnections.HasTable(connection, "blind_signatures") ? "ALTER TABLE blind_signatures ADD COLUMN account TEXT;\n" : string.Empty) + """
                CREATE TABLE IF NOT EXISTS swaps (idem TEXT PRIMARY KEY, request_hash BLOB NOT NULL, response BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS swap_spends (coin BLOB PRIMARY KEY, spend BLOB NOT NULL);
                PRAGMA user_version = 1;
                """);
        }

        if (version < 2)
        {
            // Fresh stores already have the column from CREATE TABLE; older ones gain it here.
            bool hasOperation = SqliteConnections.HasColumn(connection, "log_entries", "op");
            Apply(connection, (hasOperation ? string.Empty : "ALTER TABLE log_entries ADD COLUMN op TEXT;\n") + """
                CREATE UNIQUE INDEX IF NOT EXISTS log_entries_op ON log_entries (op);
                PRAGMA user_version = 2;
                """);
        }

        if (version < 3)
        {
            // Deposit receipts became version 2 (they list the credited payments) and a stored deposit keeps every
            // payment's outcome. A version 1 receipt cannot be re-signed here, so its row is dropped: a replay of that
            // idempotency key finds the ledger entry and the log entry it committed and answers them again, with a
            // version 2 receipt for the same credit (docs/PROTOCOL.md section 5.5).
            bool hasPayments = SqliteConnections.HasColumn(connection, "deposits", "payments");
            Apply(connection, (hasPayments ? string.Empty : """
                DROP TABLE deposits;
                CREATE TABLE deposits (provider TEXT NOT NULL, idem TEXT NOT NULL, request_hash BLOB NOT NULL, receipt BLOB NOT NULL, payments BLOB NOT NULL, PRIMARY KEY (provider, idem));

                """) + "PRAGMA user_version = 3;");
        }

        if (version < 4)
        {
            // Payment requests became PB/1 version 2 (a salted hash of the purpose and the payment day, issue 16). The
            // stored first spends and deposit outcomes of an older store hold version 1 requests, which this code
            // cannot decode, and a first spend is evidence that must stay readable: such a store is refused, not misread.
            if (SqliteConnections.Scalar(connection, "SELECT (SELECT COUNT(*) FROM spends) + (SELECT COUNT(*) FROM deposits)") is not 0L)
            {
                throw new InvalidOperationException("The scheme store holds deposits of PB/1 version 1 payment requests, which this version cannot read: keep running the earlier release for this scheme.");
            }

            Apply(connection, "PRAGMA user_version = 4;");
        }

        if (version < 5)
        {
            // The keysets table became scheme_keysets, so the scheme's tables can share one file with the ledger's
            // (which has its own keysets table; SqliteSchemeDatabase). Only this store's table has an announcement column.
            bool hasOld = SqliteConnections.HasColumn(connection, "keysets", "announcement");
            Apply(connection, (hasOld ? """
                INSERT OR IGNORE INTO scheme_keysets (id, seq, announcement, log_index, revoked) SELECT id, seq, announcement, log_index, revoked FROM keysets;
                DROP TABLE keysets;

                """ : string.Empty) + "PRAGMA user_version = 5;");
        }

        if (version < 6)
        {
            MigrateToIssuedSignatures(connection);
        }
    }

    // Version 6: the blind signatures of every issuance, keyed by the SHA-256 of the blinded message rather than by the
    // message. A 2048-bit message made a 256-byte key: an index of about 13 keys per page and three or four levels, so
    // each issued coin dirtied its own leaf page and often a split up the tree, the largest share of a withdrawal's WAL
    // frames (docs/benchmarks.md, ninth session). A 32-byte digest fits about a hundred keys to a page. The lookups
    // (recovery, FindBlindSignatureAsync) hash the message they are asked about; SHA-256's collision resistance keeps
    // a digest match a message match. Rows are moved in one transaction, so a crash leaves the old table or the new one.
    private static void MigrateToIssuedSignatures(SqliteConnection connection)
    {
        // The rows are copied in one statement, so a large store streams through rather than into memory.
        connection.CreateFunction("walletcore_sha256", (byte[] message) => SHA256.HashData(message), isDeterministic: true);
        string move = !SqliteConnections.HasTable(connection, "blind_signatures") ? string.Empty : $"""
            INSERT OR IGNORE INTO issued_signatures (digest, signature, account) SELECT walletcore_sha256(blinded), signature, {(SqliteConnections.HasColumn(connection, "blind_signatures", "account") ? "account" : "NULL")} FROM blind_signatures;
            DROP TABLE blind_signatures;

            """;
        Apply(connection, "CREATE TABLE IF NOT EXISTS issued_signatures (digest BLOB PRIMARY KEY, signature BLOB NOT NULL, account TEXT);\n" + move + "PRAGMA user_version = 6;");
    }

    // The key of a blind signature in issued_signatures (schema version 6).
    private static byte[] IssuedDigest(BlindedMessage blindedMessage) => SHA256.HashData(blindedMessage.AsSpan());

    private static void Apply(SqliteConnection connection, string sql)
    {
        using var transaction = connection.BeginTransaction();
        using var command = SqliteConnections.Command(connection, transaction, sql);
        command.ExecuteNonQuery();
        transaction.Commit();
    }

    // Each blind signature of one issuance, by its blinded message, with the withdrawing account that recovery after a
    // revocation needs (a swap's outputs have none).
    private static void IndexBlindSignatures(
        SqliteConnection c,
        SqliteTransaction? transaction,
        IEnumerable<BlindedMessage> blinded,
        ImmutableArray<BlindSignature> signatures,
        string? account) =>
        SqliteConnections.InsertBlobPairs(
            c,
            "INSERT OR IGNORE INTO issued_signatures (digest, signature, account) VALUES ($d, $s, $a)",
            "$d",
            "$s",
            blinded.Select((message, i) => (IssuedDigest(message), signatures[i].ToArray())),
            ("$a", account));

    // Deposits' and swaps' spends alike: keyed by coin, stored in their canonical encoding; the first write wins.
    private static void InsertSpends(SqliteConnection c, SqliteTransaction? transaction, string sql, IEnumerable<(Coin Coin, byte[] Encoded)> spends) =>
        SqliteConnections.InsertBlobPairs(c, sql, "$c", "$s", spends.Select(s => (s.Coin.Id.Bytes.ToArray(), s.Encoded)));

    private static List<StoredKeyset> Keysets(SqliteConnection c, string clause, params (string, object?)[] parameters) =>
        SqliteConnections.Rows(
            c,
            "SELECT announcement, log_index, revoked FROM scheme_keysets " + clause,
            r => new StoredKeyset(KeysetAnnouncement.Decode((byte[])r[0]), (ulong)r.GetInt64(1), r.GetInt64(2) != 0),
            parameters);

    private async ValueTask Write(CancellationToken cancellationToken, Action<SqliteConnection> action) =>
        await _connection.WriteAsync(cancellationToken, c =>
        {
            action(c);
            return true;
        }).ConfigureAwait(false);

    // The answer stored for an idempotent request: the request hash and the encoded answer under (owner $o, key $i).
    private ValueTask<T?> ReadAnswer<T>(CancellationToken cancellationToken, string sql, AccountId owner, IdempotencyKey key, Func<byte[], byte[], T> make)
        where T : class =>
        Read(cancellationToken, c => SqliteConnections.Rows(c, sql, r => make((byte[])r[0], (byte[])r[1]), ("$o", owner.Value), ("$i", key.Value)).FirstOrDefault());

    private ValueTask<T> Read<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> query) =>
        ValueTask.FromResult(_connection.Read(cancellationToken, query));
}
