namespace Wallet.Storage.Postgres;

/// <summary>
/// Migrates one store's tables: a version table of its own, scripts applied in order in one transaction, and an
/// advisory lock of its own so concurrent openers of the same database (any schema) wait rather than race.
/// </summary>
/// <param name="Name">The store's name in messages (for example "Merkle log").</param>
/// <param name="VersionTable">The table holding the one version row.</param>
/// <param name="LockId">The advisory lock key, an 8-byte ASCII constant distinct from every other store's.</param>
/// <param name="Migrations">Scripts indexed by the version they produce minus one. Never edit a shipped script; append a new one.</param>
internal sealed record PostgresVersionedSchema(string Name, string VersionTable, long LockId, string[] Migrations)
{
    /// <summary>The version this library writes.</summary>
    public int LatestVersion => Migrations.Length;

    /// <summary>Brings the tables to <see cref="LatestVersion"/> in one transaction, refusing a newer version.</summary>
    /// <exception cref="InvalidOperationException">The recorded version is newer than <see cref="LatestVersion"/>.</exception>
    public async Task MigrateAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({LockId})", cancellationToken).ConfigureAwait(false);
        await ExecuteAsync(connection, $"CREATE TABLE IF NOT EXISTS {VersionTable} (version integer NOT NULL)", cancellationToken).ConfigureAwait(false);
        int version;
        await using (var read = new NpgsqlCommand($"SELECT version FROM {VersionTable}", connection))
        {
            version = await read.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false) is int v ? v : 0;
        }

        if (version > LatestVersion)
        {
            throw new InvalidOperationException($"The {Name} tables have schema version {version}; this library understands up to {LatestVersion}.");
        }

        for (; version < LatestVersion; version++)
        {
            await ExecuteAsync(connection, Migrations[version], cancellationToken).ConfigureAwait(false);
            await ExecuteAsync(
                connection,
                version == 0 ? $"INSERT INTO {VersionTable} (version) VALUES (1)" : $"UPDATE {VersionTable} SET version = {version + 1}",
                cancellationToken).ConfigureAwait(false);
        }

        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false);
    }
}
