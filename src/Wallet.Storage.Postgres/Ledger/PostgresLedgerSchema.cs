namespace Wallet.Storage.Postgres.Ledger;

/// <summary>The ledger's schema versions and the migrations between them, applied in order at open.</summary>
internal static class PostgresLedgerSchema
{
    /// <summary>Serialises concurrent openers of the same database (any schema): migrations are not re-entrant.</summary>
    private const long MigrationLockId = 0x5743_4c45_4447_5231; // "WCLEDGR1"

    /// <summary>Scripts indexed by the version they produce minus one. Never edit a shipped script; append a new one.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE ledger_head (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            seq bigint NOT NULL,
            hash bytea NOT NULL);
        INSERT INTO ledger_head (singleton, seq, hash) VALUES (true, 0, decode(repeat('00', 32), 'hex'));
        CREATE TABLE journal (
            seq bigint PRIMARY KEY,
            idempotency_key text NOT NULL,
            hash bytea NOT NULL,
            body bytea NOT NULL);
        CREATE TABLE spent_coins (
            coin_id bytea NOT NULL,
            keyset_id bytea NOT NULL,
            amount bigint NOT NULL,
            entry_seq bigint NOT NULL,
            PRIMARY KEY (coin_id, keyset_id)) PARTITION BY LIST (keyset_id);
        CREATE TABLE keyset_partitions (
            keyset_id bytea PRIMARY KEY,
            table_name text NOT NULL UNIQUE,
            archived boolean NOT NULL DEFAULT false);
        CREATE TABLE balances (
            kind smallint NOT NULL,
            key text NOT NULL,
            balance bigint NOT NULL,
            PRIMARY KEY (kind, key));
        CREATE TABLE keysets (
            keyset_id bytea PRIMARY KEY,
            issued bigint NOT NULL,
            deposited bigint NOT NULL,
            swapped_in bigint NOT NULL,
            expired bigint NOT NULL,
            is_expired boolean NOT NULL);
        CREATE TABLE outcomes (
            idempotency_key text PRIMARY KEY,
            request_hash bytea NOT NULL,
            status smallint NOT NULL,
            entry_seq bigint,
            conflicts bytea NOT NULL);
        """,
        """
        CREATE UNIQUE INDEX journal_idempotency_key ON journal (idempotency_key);
        ALTER TABLE journal ADD CONSTRAINT journal_seq_positive CHECK (seq > 0);
        ALTER TABLE keysets ADD CONSTRAINT keysets_counters_nonnegative
            CHECK (issued >= 0 AND deposited >= 0 AND swapped_in >= 0 AND expired >= 0);
        """,
        """
        CREATE FUNCTION ledger_expect_head(expected_seq bigint, expected_hash bytea) RETURNS void LANGUAGE plpgsql AS $$
        BEGIN
            PERFORM 1 FROM ledger_head WHERE seq = expected_seq AND hash = expected_hash FOR UPDATE;
            IF NOT FOUND THEN
                RAISE EXCEPTION 'the ledger head is no longer entry %', expected_seq USING ERRCODE = 'WCL01';
            END IF;
        END
        $$;
        """,

        // Version 4: the per-keyset counter of withdrawals reversed because their keyset can never sign again
        // (docs/ledger.md); existing keysets have reversed nothing.
        """
        ALTER TABLE keysets ADD COLUMN reversed bigint NOT NULL DEFAULT 0 CONSTRAINT keysets_reversed_nonnegative CHECK (reversed >= 0);
        """,

        // Version 5: a worker's restricted-fund sub-balances ("account/fund", docs/PROTOCOL.md 5.22) found by a
        // code-point range, so reading one worker's funds never scans every balance.
        """
        CREATE INDEX balances_worker_funds ON balances (key COLLATE "C") WHERE kind = 8;
        """,
    ];

    /// <summary>The version this library writes.</summary>
    public static int LatestVersion => Migrations.Length;

    /// <summary>Brings the schema to <see cref="LatestVersion"/> in one transaction, refusing a newer one.</summary>
    public static async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({MigrationLockId})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS ledger_schema (version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        int version = await ReadVersionAsync(connection, cancellationToken).ConfigureAwait(false);
        if (version > LatestVersion)
        {
            throw new LedgerStoreException($"The ledger schema has version {version}; this library understands up to {LatestVersion}.");
        }

        for (; version < LatestVersion; version++)
        {
            await ExecuteAsync(connection, Migrations[version], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                version == 0 ? "INSERT INTO ledger_schema (version) VALUES (1)" : $"UPDATE ledger_schema SET version = {version + 1}",
                cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The schema version recorded (0 for a new schema).</summary>
    public static async Task<int> ReadVersionAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var read = new NpgsqlCommand("SELECT version FROM ledger_schema", connection);
        return await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
