using Wallet.Crypto.Merkle;

namespace Wallet.Storage.Postgres.Merkle;

/// <summary>
/// An <see cref="IMerkleLogStore"/> in PostgreSQL: node hashes keyed by (level, index) in <c>merkle_nodes</c> and the
/// leaf count in the one row of <c>merkle_head</c>. Each append is one statement whose compare-and-set on the leaf
/// count makes it all-or-nothing, so several processes (scheme nodes) can append to one log.
/// </summary>
/// <remarks>
/// <para>
/// The leaf hashes are the level-0 nodes; the bytes of the log entries are kept by the scheme store. A batch is checked
/// before anything is sent: committed batches keep level L at exactly <c>leafCount &gt;&gt; L</c> nodes, so the batch
/// built on <c>expectedLeafCount</c> must continue each level from <c>expectedLeafCount &gt;&gt; L</c> and stop at
/// <c>newLeafCount &gt;&gt; L</c>, and the compare-and-set makes sure the stored count is still the expected one.
/// </para>
/// <para>
/// Every call is one round trip. Creating a store opens nothing: its tables are created or migrated (under their own
/// advisory lock, in the first schema of the search path) before its first operation or by <see cref="MigrateAsync"/>.
/// </para>
/// </remarks>
public sealed class PostgresMerkleLogStore : IMerkleLogStore, IAsyncDisposable
{
    // The compare-and-set and the inserts are one statement, hence one implicit transaction: the nodes are inserted
    // only when the head row moved from the expected count. Under READ COMMITTED a concurrent appender waits on the
    // head row and then finds its expected count gone, so it inserts nothing.
    private const string AppendSql = """
        WITH cas AS (
            UPDATE merkle_head SET leaf_count = $1 WHERE singleton AND leaf_count = $2 RETURNING 1)
        INSERT INTO merkle_nodes (level, idx, hash)
        SELECT n.level, n.idx, n.hash FROM unnest($3::integer[], $4::bigint[], $5::bytea[]) AS n(level, idx, hash)
        WHERE EXISTS (SELECT 1 FROM cas)
        """;

    private const string ReadSql = """
        SELECT w.ord, m.hash
        FROM unnest($1::integer[], $2::bigint[]) WITH ORDINALITY AS w(level, idx, ord)
        JOIN merkle_nodes m ON m.level = w.level AND m.idx = w.idx
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly PostgresOperations _operations;
    private readonly bool _ownsDataSource;
    private readonly SemaphoreSlim _migration = new(1, 1);
    private volatile bool _migrated;
    private int _disposed;

    private PostgresMerkleLogStore(NpgsqlDataSource dataSource, bool ownsDataSource, PostgresOperations? operations = null)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
        _operations = operations ?? new PostgresOperations(dataSource);
    }

    /// <summary>The schema version this library writes (the row of <c>merkle_schema</c>).</summary>
    public static int SchemaVersion => PostgresMerkleSchema.LatestVersion;

    /// <summary>Opens a log store over a data source it builds from <paramref name="connectionString"/> and owns, migrating its tables now.</summary>
    /// <param name="connectionString">An Npgsql connection string; <c>Search Path</c> selects the schema.</param>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null, empty or malformed.</exception>
    /// <exception cref="InvalidOperationException">The tables are from a newer version of this library.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<PostgresMerkleLogStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        cancellationToken.ThrowIfCancellationRequested();
        return await MigratedAsync(CreateOwning(connectionString), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Opens a log store over a data source the caller owns (never disposed by the store), migrating its tables now.</summary>
    /// <param name="dataSource">The data source, for example the <see cref="NpgsqlDataSource"/> registered in DI.</param>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    /// <exception cref="InvalidOperationException">The tables are from a newer version of this library.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<PostgresMerkleLogStore> OpenAsync(NpgsqlDataSource dataSource, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        cancellationToken.ThrowIfCancellationRequested();
        return await MigratedAsync(Create(dataSource), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Creates a log store over a data source the caller owns without opening anything: the tables are migrated before
    /// the first operation, or by <see cref="MigrateAsync"/>. This is what a DI factory, which must not block, uses.
    /// </summary>
    /// <param name="dataSource">The data source; the store never disposes it.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="dataSource"/> is <see langword="null"/>.</exception>
    public static PostgresMerkleLogStore Create(NpgsqlDataSource dataSource)
    {
        ArgumentNullException.ThrowIfNull(dataSource);
        return new PostgresMerkleLogStore(dataSource, ownsDataSource: false);
    }

    /// <summary>
    /// Migrates the log's tables to <see cref="SchemaVersion"/> now, unless this store already did. Every operation
    /// does this first, so calling it is only a way to fail (or warm up) before the first append.
    /// </summary>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>A task that completes once the tables are current.</returns>
    /// <exception cref="InvalidOperationException">The tables are from a newer version of this library.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached; nothing is remembered, so the next call tries again.</exception>
    /// <exception cref="ObjectDisposedException">The store is disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task MigrateAsync(CancellationToken cancellationToken = default)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (_migrated)
        {
            return;
        }

        await _migration.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (!_migrated)
            {
                await using var connection = await _dataSource.OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
                await PostgresMerkleSchema.MigrateAsync(connection, cancellationToken).ConfigureAwait(false);
                _migrated = true;
            }
        }
        finally
        {
            _migration.Release();
        }
    }

    /// <inheritdoc/>
    public async ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var lease = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand("SELECT leaf_count FROM merkle_head", lease.Connection);
        return (ulong)(long)(await command.ExecuteScalarAsync(cancellationToken).ConfigureAwait(false))!;
    }

    /// <inheritdoc/>
    public async ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken)
    {
        if (destination.Length != ids.Length)
        {
            throw new ArgumentException("The destination must have one slot per node id.", nameof(destination));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (ids.IsEmpty)
        {
            return;
        }

        var levels = new int[ids.Length];
        var indices = new long[ids.Length];
        for (int i = 0; i < ids.Length; i++)
        {
            levels[i] = ids.Span[i].Level;
            indices[i] = (long)ids.Span[i].Index;
        }

        var found = new bool[ids.Length];
        await using (var lease = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false))
        await using (var command = new NpgsqlCommand(ReadSql, lease.Connection))
        {
            command.Parameters.Add(new NpgsqlParameter<int[]> { Value = levels });
            command.Parameters.Add(new NpgsqlParameter<long[]> { Value = indices });
            await using var reader = await command.ExecuteReaderAsync(cancellationToken).ConfigureAwait(false);
            while (await reader.ReadAsync(cancellationToken).ConfigureAwait(false))
            {
                int slot = (int)(reader.GetInt64(0) - 1);
                destination.Span[slot] = new MerkleHash(reader.GetFieldValue<byte[]>(1));
                found[slot] = true;
            }
        }

        int missing = Array.IndexOf(found, false);
        if (missing >= 0)
        {
            throw new KeyNotFoundException($"Merkle node {ids.Span[missing]} has not been written.");
        }
    }

    /// <inheritdoc/>
    public async ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken)
    {
        if (newLeafCount <= expectedLeafCount)
        {
            throw new ArgumentException("A batch adds at least one leaf.", nameof(newLeafCount));
        }

        if (newLeafCount > long.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(newLeafCount), "A log holds fewer than 2^63 leaves.");
        }

        MerkleAppendBatch.Validate(expectedLeafCount, newLeafCount, nodes.Span);
        cancellationToken.ThrowIfCancellationRequested();

        var levels = new int[nodes.Length];
        var indices = new long[nodes.Length];
        var hashes = new byte[nodes.Length][];
        for (int i = 0; i < nodes.Length; i++)
        {
            var node = nodes.Span[i];
            levels[i] = node.Id.Level;
            indices[i] = (long)node.Id.Index;
            hashes[i] = node.Hash.ToArray();
        }

        await using var lease = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var command = new NpgsqlCommand(AppendSql, lease.Connection);
        command.Parameters.Add(new NpgsqlParameter<long> { Value = (long)newLeafCount });
        command.Parameters.Add(new NpgsqlParameter<long> { Value = (long)expectedLeafCount });
        command.Parameters.Add(new NpgsqlParameter<int[]> { Value = levels });
        command.Parameters.Add(new NpgsqlParameter<long[]> { Value = indices });
        command.Parameters.Add(new NpgsqlParameter<byte[][]> { Value = hashes });

        // A valid batch holds at least the new leaves, so rows were inserted exactly when the compare-and-set held.
        return await command.ExecuteNonQueryAsync(cancellationToken).ConfigureAwait(false) > 0;
    }

    /// <summary>Disposes the data source if the store built it; a borrowed one stays its owner's.</summary>
    /// <returns>A task that completes once the store is disposed.</returns>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        if (_ownsDataSource)
        {
            await _dataSource.DisposeAsync().ConfigureAwait(false);
        }

        _migration.Dispose();
    }

    /// <summary>A store over a data source it builds from <paramref name="connectionString"/> and owns; opens nothing.</summary>
    internal static PostgresMerkleLogStore CreateOwning(string connectionString) =>
        new(NpgsqlDataSource.Create(connectionString), ownsDataSource: true);

    /// <summary>A store of a <see cref="PostgresSchemeDatabase"/>: its appends and reads join the flow's running operation.</summary>
    internal static PostgresMerkleLogStore CreateShared(NpgsqlDataSource dataSource, PostgresOperations operations) =>
        new(dataSource, ownsDataSource: false, operations);

    private static async Task<PostgresMerkleLogStore> MigratedAsync(PostgresMerkleLogStore store, CancellationToken cancellationToken)
    {
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    // Every connection the store works on comes from here, after the migration: the flow's operation's, or a pooled one.
    private async ValueTask<PostgresLease> OpenConnectionAsync(CancellationToken cancellationToken)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if (!_migrated)
        {
            await MigrateAsync(cancellationToken).ConfigureAwait(false);
        }

        return await _operations.LeaseAsync(cancellationToken).ConfigureAwait(false);
    }
}
