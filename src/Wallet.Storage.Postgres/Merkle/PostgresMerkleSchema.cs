namespace Wallet.Storage.Postgres.Merkle;

/// <summary>The Merkle log's tables (<c>merkle_*</c>) and their versions, in <c>merkle_schema</c>.</summary>
internal static class PostgresMerkleSchema
{
    /// <summary>The tables and their migrations, under the advisory lock "WCMERKL1".</summary>
    public static PostgresVersionedSchema Schema { get; } = new("Merkle log", "merkle_schema", 0x5743_4d45_524b_4c31, [
        """
        CREATE TABLE merkle_head (
            singleton boolean PRIMARY KEY DEFAULT true CHECK (singleton),
            leaf_count bigint NOT NULL CHECK (leaf_count >= 0));
        INSERT INTO merkle_head (singleton, leaf_count) VALUES (true, 0);
        CREATE TABLE merkle_nodes (
            level integer NOT NULL CHECK (level BETWEEN 0 AND 63),
            idx bigint NOT NULL CHECK (idx >= 0),
            hash bytea NOT NULL CHECK (length(hash) = 32),
            PRIMARY KEY (level, idx));
        """,
    ]);

    /// <summary>The version this library writes.</summary>
    public static int LatestVersion => Schema.LatestVersion;

    /// <summary>Brings the tables to <see cref="LatestVersion"/>.</summary>
    public static Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken) => Schema.MigrateAsync(connection, cancellationToken);
}
