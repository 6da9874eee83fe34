namespace Wallet.Storage.Postgres.Keysets;

/// <summary>The sealed keyset keys' table (<c>keyset_keys</c>) and its versions, in <c>keyset_keys_schema</c>.</summary>
internal static class PostgresKeysetKeySchema
{
    /// <summary>The table and its migrations, under the advisory lock "WCKEYST1".</summary>
    public static PostgresVersionedSchema Schema { get; } = new("keyset key", "keyset_keys_schema", 0x5743_4b45_5953_5431, [
        """
        CREATE TABLE keyset_keys (
            keyset_id bytea PRIMARY KEY CHECK (length(keyset_id) = 32),
            sealed bytea NOT NULL);
        """,
    ]);

    /// <summary>The version this library writes.</summary>
    public static int LatestVersion => Schema.LatestVersion;

    /// <summary>Brings the table to <see cref="LatestVersion"/>.</summary>
    public static Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken) => Schema.MigrateAsync(connection, cancellationToken);
}
