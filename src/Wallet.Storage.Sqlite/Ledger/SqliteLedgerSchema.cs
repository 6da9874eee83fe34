using Microsoft.Data.Sqlite;
using Wallet.Protocol.Ledger;

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
    ];

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
