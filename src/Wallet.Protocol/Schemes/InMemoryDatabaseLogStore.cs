namespace Wallet.Protocol.Schemes;

/// <summary>
/// The Merkle log of an <see cref="InMemorySchemeDatabase"/>: inside an operation, the operation's view (its appends
/// held aside until it commits); outside any, the committed log up to the committed leaf count, appends waiting for the
/// running operation to finish.
/// </summary>
/// <param name="database">The database.</param>
internal sealed class InMemoryDatabaseLogStore(InMemorySchemeDatabase database) : IMerkleLogStore
{
    /// <inheritdoc/>
    public ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken)
    {
        if (database.Operation is { } operation)
        {
            return operation.Log.GetLeafCountAsync(cancellationToken);
        }

        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(database.Current.LeafCount);
    }

    /// <inheritdoc/>
    public ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken)
    {
        if (database.Operation is { } operation)
        {
            return operation.Log.ReadNodesAsync(ids, destination, cancellationToken);
        }

        if (destination.Length != ids.Length)
        {
            throw new ArgumentException("The destination must have one slot per node id.", nameof(destination));
        }

        cancellationToken.ThrowIfCancellationRequested();

        // Nodes an operation's commit has written but not yet published are not there for this reader.
        ulong leafCount = database.Current.LeafCount;
        foreach (var id in ids.Span)
        {
            if (id.Index >= leafCount >> id.Level)
            {
                throw new KeyNotFoundException($"Merkle node {id} has not been written.");
            }
        }

        return database.CommittedLog.ReadNodesAsync(ids, destination, cancellationToken);
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken)
    {
        if (database.Operation is { } operation)
        {
            return operation.Log.TryAppendAsync(expectedLeafCount, newLeafCount, nodes, cancellationToken);
        }

        if (newLeafCount <= expectedLeafCount)
        {
            throw new ArgumentException("A batch adds at least one leaf.", nameof(newLeafCount));
        }

        return database.WriteOutsideAsync(
            async committed =>
            {
                if (committed.LeafCount != expectedLeafCount)
                {
                    return false;
                }

                bool appended = await database.CommittedLog.TryAppendAsync(expectedLeafCount, newLeafCount, nodes, cancellationToken).ConfigureAwait(false);
                if (appended)
                {
                    database.PublishLeafCount(newLeafCount);
                }

                return appended;
            },
            cancellationToken);
    }
}
