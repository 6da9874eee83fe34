namespace Wallet.Protocol.Schemes;

/// <summary>
/// The Merkle log as one operation of an <see cref="InMemorySchemeDatabase"/> sees it: the committed log plus the nodes
/// the operation appended, held aside until <see cref="CommitAsync"/> sends them to the committed log as one batch.
/// </summary>
/// <remarks>
/// Successive valid batches concatenate into one valid batch: each continues every level where the one before left it,
/// so the concatenation continues the committed levels and ends with level L at exactly <c>LeafCount &gt;&gt; L</c>
/// nodes, which is what <see cref="IMerkleLogStore.TryAppendAsync"/> asks of a batch.
/// </remarks>
/// <param name="committed">The committed log; no one else appends to it while the operation runs.</param>
/// <param name="startLeafCount">The committed leaf count when the operation started.</param>
internal sealed class InMemoryOperationLog(IMerkleLogStore committed, ulong startLeafCount) : IMerkleLogStore
{
    private readonly List<MerkleNode> _appended = [];
    private readonly Dictionary<MerkleNodeId, MerkleHash> _nodes = [];
    private readonly ulong _startLeafCount = startLeafCount;

    /// <summary>The leaf count with the operation's appends.</summary>
    public ulong LeafCount { get; private set; } = startLeafCount;

    /// <inheritdoc/>
    public ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult(LeafCount);
    }

    /// <inheritdoc/>
    public async ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken)
    {
        if (destination.Length != ids.Length)
        {
            throw new ArgumentException("The destination must have one slot per node id.", nameof(destination));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (_nodes.Count == 0)
        {
            await committed.ReadNodesAsync(ids, destination, cancellationToken).ConfigureAwait(false);
            return;
        }

        // The operation's own nodes from here; the rest from the committed log, in one read.
        List<int> missing = [];
        for (int i = 0; i < ids.Length; i++)
        {
            if (_nodes.TryGetValue(ids.Span[i], out var hash))
            {
                destination.Span[i] = hash;
            }
            else
            {
                missing.Add(i);
            }
        }

        if (missing.Count > 0)
        {
            MerkleNodeId[] rest = [.. missing.Select(i => ids.Span[i])];
            var read = new MerkleHash[rest.Length];
            await committed.ReadNodesAsync(rest, read, cancellationToken).ConfigureAwait(false);
            for (int j = 0; j < missing.Count; j++)
            {
                destination.Span[missing[j]] = read[j];
            }
        }
    }

    /// <inheritdoc/>
    public ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken)
    {
        if (newLeafCount <= expectedLeafCount)
        {
            throw new ArgumentException("A batch adds at least one leaf.", nameof(newLeafCount));
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (LeafCount != expectedLeafCount)
        {
            return ValueTask.FromResult(false);
        }

        // Checked as the committed log would check it, so a bad batch fails here and not at the operation's commit.
        ReadOnlySpan<MerkleNode> batch = nodes.Span;
        MerkleAppendBatch.Validate(expectedLeafCount, newLeafCount, batch);
        foreach (MerkleNode node in batch)
        {
            _appended.Add(node);
            _nodes.Add(node.Id, node.Hash);
        }

        LeafCount = newLeafCount;
        return ValueTask.FromResult(true);
    }

    /// <summary>Sends the operation's nodes to the committed log as one batch; nothing when it appended none.</summary>
    /// <returns>A task that completes when the batch is written.</returns>
    /// <exception cref="InvalidOperationException">The committed log moved while the operation ran, which the database's gate rules out.</exception>
    public async ValueTask CommitAsync()
    {
        if (LeafCount == _startLeafCount)
        {
            return;
        }

        if (!await committed.TryAppendAsync(_startLeafCount, LeafCount, _appended.ToArray(), CancellationToken.None).ConfigureAwait(false))
        {
            throw new InvalidOperationException("The committed Merkle log moved while an operation ran; its appends are dropped.");
        }
    }
}
