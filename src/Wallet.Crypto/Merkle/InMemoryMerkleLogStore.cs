namespace Wallet.Crypto.Merkle;

/// <summary>
/// A <see cref="IMerkleLogStore"/> in process memory, for tests and short-lived logs. Each level is a list
/// in index order; one lock makes every batch trivially atomic.
/// </summary>
/// <remarks>Holds about 64 bytes per leaf (the leaf hash plus, on average, one interior node).</remarks>
public sealed class InMemoryMerkleLogStore : IMerkleLogStore
{
    private readonly Lock _lock = new();
    private readonly List<MerkleHash>[] _levels = new List<MerkleHash>[MerkleNodeId.MaxLevels];
    private ulong _leafCount;

    /// <summary>Creates an empty store.</summary>
    public InMemoryMerkleLogStore()
    {
        for (int level = 0; level < _levels.Length; level++)
        {
            _levels[level] = [];
        }
    }

    /// <inheritdoc />
    public ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_leafCount);
        }
    }

    /// <inheritdoc />
    public ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken)
    {
        if (destination.Length != ids.Length)
        {
            throw new ArgumentException("The destination must have one slot per node id.", nameof(destination));
        }

        cancellationToken.ThrowIfCancellationRequested();
        ReadOnlySpan<MerkleNodeId> idSpan = ids.Span;
        Span<MerkleHash> target = destination.Span;
        lock (_lock)
        {
            for (int i = 0; i < idSpan.Length; i++)
            {
                MerkleNodeId id = idSpan[i];
                List<MerkleHash> level = _levels[id.Level];
                if (id.Index >= (ulong)level.Count)
                {
                    throw new KeyNotFoundException($"Merkle node {id} has not been written.");
                }

                target[i] = level[(int)id.Index];
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc />
    public ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken)
    {
        if (newLeafCount <= expectedLeafCount)
        {
            throw new ArgumentException("A batch adds at least one leaf.", nameof(newLeafCount));
        }

        cancellationToken.ThrowIfCancellationRequested();
        ReadOnlySpan<MerkleNode> batch = nodes.Span;
        lock (_lock)
        {
            if (_leafCount != expectedLeafCount)
            {
                return ValueTask.FromResult(false);
            }

            // Checked whole before any list is touched, so a rejected batch leaves no trace. Level L holds exactly
            // _leafCount >> L nodes here, the count the rule starts from.
            MerkleAppendBatch.Validate(expectedLeafCount, newLeafCount, batch);

            foreach (MerkleNode node in batch)
            {
                _levels[node.Id.Level].Add(node.Hash);
            }

            _leafCount = newLeafCount;
        }

        return ValueTask.FromResult(true);
    }
}
