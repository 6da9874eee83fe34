namespace Wallet.Storage.Sqlite.Ledger;

/// <summary>The ledger's schema versions and the migrations between them, applied in order at open.</summary>
internal static class SqliteLedgerSchema
{
    /// <summary>Scripts indexed by the version they produce minus one. Never edit a shipped script; append a new one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE journal (
            seq INTEGER PRIMARY KEY,
            idempotency_key TEXT NOT NULL,
            hash BLOB NOT NULL,
            body BLOB NOT NULL);
        CREATE TABLE spent_coins (
            coin_id BLOB NOT NULL,
            keyset_id BLOB NOT NULL,
            amount INTEGER NOT NULL,
            entry_seq INTEGER NOT NULL);
        CREATE UNIQUE INDEX spent_coins_coin_id ON spent_coins (coin_id);
        CREATE TABLE balances (
            kind INTEGER NOT NULL,
            key TEXT NOT NULL,
            balance INTEGER NOT NULL,
            PRIMARY KEY (kind, key)) WITHOUT ROWID;
        CREATE TABLE keysets (
            keyset_id BLOB NOT NULL PRIMARY KEY,
            issued INTEGER NOT NULL,
            deposited INTEGER NOT NULL,
            swapped_in INTEGER NOT NULL,
            expired INTEGER NOT NULL,
            is_expired INTEGER NOT NULL) WITHOUT ROWID;
        CREATE TABLE outcomes (
            idempotency_key TEXT NOT NULL PRIMARY KEY,
            request_hash BLOB NOT NULL,
            status INTEGER NOT NULL,
            entry_seq INTEGER,
            conflicts BLOB NOT NULL) WITHOUT ROWID;
        """,

        // Version 2: STRICT tables, so an overflowing SQL addition (which SQLite turns into REAL) fails instead
        // of being stored; CHECK constraints on every counter; and a unique journal idempotency key as a second
        // safeguard beneath the outcomes table.
        """
        CREATE TABLE journal_v2 (
            seq INTEGER PRIMARY KEY CHECK (seq >= 1),
            idempotency_key TEXT NOT NULL,
            hash BLOB NOT NULL CHECK (length(hash) = 32),
            body BLOB NOT NULL) STRICT;
        INSERT INTO journal_v2 (seq, idempotency_key, hash, body) SELECT seq, idempotency_key, hash, body FROM journal;
        DROP TABLE journal;
        ALTER TABLE journal_v2 RENAME TO journal;
        CREATE UNIQUE INDEX journal_idempotency_key ON journal (idempotency_key);

        CREATE TABLE spent_coins_v2 (
            coin_id BLOB NOT NULL CHECK (length(coin_id) = 32),
            keyset_id BLOB NOT NULL CHECK (length(keyset_id) = 32),
            amount INTEGER NOT NULL CHECK (amount > 0),
            entry_seq INTEGER NOT NULL CHECK (entry_seq >= 1)) STRICT;
        INSERT INTO spent_coins_v2 (coin_id, keyset_id, amount, entry_seq) SELECT coin_id, keyset_id, amount, entry_seq FROM spent_coins;
        DROP TABLE spent_coins;
        ALTER TABLE spent_coins_v2 RENAME TO spent_coins;
        CREATE UNIQUE INDEX spent_coins_coin_id ON spent_coins (coin_id);

        CREATE TABLE balances_v2 (
            kind INTEGER NOT NULL CHECK (kind BETWEEN 1 AND 255),
            key TEXT NOT NULL,
            balance INTEGER NOT NULL,
            PRIMARY KEY (kind, key)) STRICT, WITHOUT ROWID;
        INSERT INTO balances_v2 (kind, key, balance) SELECT kind, key, balance FROM balances;
        DROP TABLE balances;
        ALTER TABLE balances_v2 RENAME TO balances;

        CREATE TABLE keysets_v2 (
            keyset_id BLOB NOT NULL PRIMARY KEY CHECK (length(keyset_id) = 32),
            issued INTEGER NOT NULL CHECK (issued >= 0),
            deposited INTEGER NOT NULL CHECK (deposited >= 0),
            swapped_in INTEGER NOT NULL CHECK (swapped_in >= 0),
            expired INTEGER NOT NULL CHECK (expired >= 0),
            is_expired INTEGER NOT NULL CHECK (is_expired IN (0, 1))) STRICT, WITHOUT ROWID;
        INSERT INTO keysets_v2 (keyset_id, issued, deposited, swapped_in, expired, is_expired)
            SELECT keyset_id, issued, deposited, swapped_in, expired, is_expired FROM keysets;
        DROP TABLE keysets;
        ALTER TABLE keysets_v2 RENAME TO keysets;

        CREATE TABLE outcomes_v2 (
            idempotency_key TEXT NOT NULL PRIMARY KEY,
            request_hash BLOB NOT NULL CHECK (length(request_hash) = 32),
            status INTEGER NOT NULL CHECK (status BETWEEN 1 AND 255),
            entry_seq INTEGER CHECK (entry_seq >= 1),
            conflicts BLOB NOT NULL) STRICT, WITHOUT ROWID;
        INSERT INTO outcomes_v2 (idempotency_key, request_hash, status, entry_seq, conflicts)
            SELECT idempotency_key, request_hash, status, entry_seq, conflicts FROM outcomes;
        DROP TABLE outcomes;
        ALTER TABLE outcomes_v2 RENAME TO outcomes;
        """,

        // Version 3: the per-keyset counter of withdrawals reversed because their keyset can never sign again
        // (docs/ledger.md); existing keysets have reversed nothing.
        """
        ALTER TABLE keysets ADD COLUMN reversed INTEGER NOT NULL DEFAULT 0 CHECK (reversed >= 0);
        """,
    ];

    /// <summary>Brings a new database to exactly <paramref name="version"/> (tests build older files with it).</summary>
    internal static void CreateAtVersion(SqliteConnection connection, int version)
    {
        using var create = connection.CreateCommand();
        create.CommandText = "CREATE TABLE ledger_schema (version INTEGER NOT NULL);"
            + string.Concat(Migrations.Take(version).Select(m => m + ";"))
            + $"INSERT INTO ledger_schema (version) VALUES ({version});";
        create.ExecuteNonQuery();
    }

    /// <summary>The version this library writes.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the database to <see cref="LatestVersion"/>, one transaction per step, refusing a newer schema.</summary>
    public static void Migrate(SqliteConnection connection)
    {
        using (var create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS ledger_schema (version INTEGER NOT NULL)";
            create.ExecuteNonQuery();
        }

        while (true)
        {
            using var transaction = connection.BeginTransaction(deferred: false);
            int version = ReadVersion(connection, transaction);
            if (version > LatestVersion)
            {
                throw new LedgerStoreException($"The ledger database has schema version {version}; this library understands up to {LatestVersion}.");
            }

            if (version == LatestVersion)
            {
                transaction.Commit();
                return;
            }

            using var step = connection.CreateCommand();
            step.Transaction = transaction;
            step.CommandText = Migrations[version] + (version == 0
                ? ";INSERT INTO ledger_schema (version) VALUES (1);"
                : $";UPDATE ledger_schema SET version = {version + 1};");
            step.ExecuteNonQuery();
            transaction.Commit();
        }
    }

    /// <summary>The schema version recorded in the database (0 for a new file).</summary>
    public static int ReadVersion(SqliteConnection connection, SqliteTransaction? transaction)
    {
        using var read = connection.CreateCommand();
        read.Transaction = transaction;
        read.CommandText = "SELECT version FROM ledger_schema";
        return read.ExecuteScalar() is long v ? checked((int)v) : 0;
    }
}
