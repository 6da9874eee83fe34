using System.Runtime.InteropServices;

namespace Wallet.Crypto.Merkle;

/// <summary>
/// An append-only RFC 9162 Merkle log over an <see cref="IMerkleLogStore"/>: appends entries, and answers roots,
/// inclusion proofs and consistency proofs for any past size with O(log n) node reads, never loading leaves.
/// </summary>
/// <remarks>
/// <para>
/// Each append hashes the new leaves, completes the perfect subtrees they close (kept in a 64-slot frontier
/// of the right edge of the tree, so no reads are needed), and commits leaves and nodes in one
/// <see cref="IMerkleLogStore.TryAppendAsync"/> batch. Appends through one instance are serialised; appends
/// from several instances or processes over one store are safe because the batch is a compare-and-set on the
/// leaf count: the loser reloads its frontier and tries again.
/// </para>
/// <para>
/// If the store throws, the store's all-or-nothing contract leaves it at the old or the new size; this
/// instance forgets its frontier and reloads it from the store on the next append, so it never builds on a
/// batch that was not committed. A caller that must know whether such an append landed compares
/// <see cref="GetSizeAsync"/> with the size before, or makes entries idempotent at a higher layer.
/// </para>
/// </remarks>
public sealed class MerkleLog
{
    private readonly IMerkleLogStore _store;
    private readonly SemaphoreSlim _appendGate = new(1, 1);
    private readonly MerkleNodeBuffer _pending = new();
    private MerkleHash[] _frontier = new MerkleHash[MerkleNodeId.MaxLevels];
    private MerkleHash[] _scratch = new MerkleHash[MerkleNodeId.MaxLevels];
    private ulong _frontierSize;
    private bool _frontierLoaded;

    /// <summary>Creates a log over a store (which may already hold entries).</summary>
    /// <param name="store">Where nodes and the leaf count live.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> is <see langword="null"/>.</exception>
    public MerkleLog(IMerkleLogStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        _store = store;
    }

    /// <summary>Returns the number of entries committed to the log.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The current tree size.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<ulong> GetSizeAsync(CancellationToken cancellationToken = default) =>
        _store.GetLeafCountAsync(cancellationToken);

    /// <summary>Appends one entry.</summary>
    /// <param name="leaf">The entry's bytes; its leaf hash is <c>SHA-256(0x00 ‖ leaf)</c>.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>The entry's zero-based index.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<ulong> AppendAsync(ReadOnlyMemory<byte> leaf, CancellationToken cancellationToken = default)
    {
        MerkleHash[] hashes = [MerkleTree.HashLeaf(leaf.Span)];
        return AppendHashesAsync(hashes, cancellationToken);
    }

    /// <summary>Appends several entries in one atomic batch; they get consecutive indices.</summary>
    /// <param name="leaves">The entries, in order; at least one.</param>
    /// <param name="cancellationToken">Cancels the append.</param>
    /// <returns>The zero-based index of the first entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="leaves"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="leaves"/> is empty.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public ValueTask<ulong> AppendRangeAsync(IReadOnlyList<ReadOnlyMemory<byte>> leaves, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(leaves);
        if (leaves.Count == 0)
        {
            throw new ArgumentException("A batch holds at least one entry.", nameof(leaves));
        }

        // Hash outside the append gate: it is the expensive part and needs no shared state.
        var hashes = new MerkleHash[leaves.Count];
        for (int i = 0; i < hashes.Length; i++)
        {
            hashes[i] = MerkleTree.HashLeaf(leaves[i].Span);
        }

        return AppendHashesAsync(hashes, cancellationToken);
    }

    /// <summary>Computes the root of the tree of the first <paramref name="treeSize"/> entries.</summary>
    /// <param name="treeSize">A size no greater than the log's current size.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The Merkle Tree Hash; <see cref="MerkleTree.EmptyRoot"/> for size 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="treeSize"/> exceeds the log's size.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>RFC 9162 section 2.1.1; reads one stored node per set bit of <paramref name="treeSize"/>.</remarks>
    public async ValueTask<MerkleHash> GetRootAsync(ulong treeSize, CancellationToken cancellationToken = default)
    {
        await EnsureSizeAsync(treeSize, nameof(treeSize), cancellationToken).ConfigureAwait(false);
        if (treeSize == 0)
        {
            return MerkleTree.EmptyRoot;
        }

        MerkleHash[] root = await ResolveAsync(Plan([new LeafRange(0, treeSize)]), cancellationToken).ConfigureAwait(false);
        return root[0];
    }

    /// <summary>Builds the proof that entry <paramref name="leafIndex"/> is in the tree of <paramref name="treeSize"/> entries.</summary>
    /// <param name="leafIndex">The entry's index, below <paramref name="treeSize"/>.</param>
    /// <param name="treeSize">A size no greater than the log's current size.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="treeSize"/> exceeds the log's size, or <paramref name="leafIndex"/> is not below it.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>RFC 9162 section 2.1.3.1; reads the stored nodes of all path entries in one store call.</remarks>
    public async ValueTask<InclusionProof> GetInclusionProofAsync(ulong leafIndex, ulong treeSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(leafIndex, treeSize);
        await EnsureSizeAsync(treeSize, nameof(treeSize), cancellationToken).ConfigureAwait(false);
        MerkleHash[] path = await ResolveAsync(PlanInclusion(leafIndex, treeSize), cancellationToken).ConfigureAwait(false);
        return InclusionProof.FromTrustedPath(leafIndex, treeSize, CheckedPath(path));
    }

    /// <summary>Builds the proof that the tree of <paramref name="oldSize"/> entries is a prefix of the tree of <paramref name="newSize"/> entries.</summary>
    /// <param name="oldSize">The earlier size, at most <paramref name="newSize"/>.</param>
    /// <param name="newSize">A size no greater than the log's current size.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The proof; its path is empty when the sizes are equal or <paramref name="oldSize"/> is 0.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="newSize"/> exceeds the log's size, or <paramref name="oldSize"/> exceeds <paramref name="newSize"/>.</exception>
    /// <exception cref="InvalidOperationException"><paramref name="newSize"/> is 2^63 or more, where a proof can exceed 64 hashes.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>RFC 9162 section 2.1.4.1.</remarks>
    public async ValueTask<ConsistencyProof> GetConsistencyProofAsync(ulong oldSize, ulong newSize, CancellationToken cancellationToken = default)
    {
        ArgumentOutOfRangeException.ThrowIfGreaterThan(oldSize, newSize);
        await EnsureSizeAsync(newSize, nameof(newSize), cancellationToken).ConfigureAwait(false);
        MerkleHash[] path = await ResolveAsync(PlanConsistency(oldSize, newSize), cancellationToken).ConfigureAwait(false);
        return ConsistencyProof.FromTrustedPath(oldSize, newSize, CheckedPath(path));
    }

    /// <summary>Signs a tree head for the log's current size and root.</summary>
    /// <param name="signingKey">The log's key.</param>
    /// <param name="timeProvider">The clock that dates the head.</param>
    /// <param name="cancellationToken">Cancels the reads.</param>
    /// <returns>The signed tree head.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signingKey"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The clock reads before the Unix epoch.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="signingKey"/> has been disposed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async ValueTask<SignedTreeHead> SignTreeHeadAsync(Ed25519SigningKey signingKey, TimeProvider timeProvider, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ulong size = await _store.GetLeafCountAsync(cancellationToken).ConfigureAwait(false);
        MerkleHash root = await GetRootAsync(size, cancellationToken).ConfigureAwait(false);
        return SignedTreeHead.Sign(size, root, signingKey, timeProvider);
    }

    /// <summary>Hands a freshly built path to a proof without copying it.</summary>
    private static ImmutableArray<MerkleHash> CheckedPath(MerkleHash[] path) =>
        path.Length <= MerkleEncoding.MaxPathLength
            ? ImmutableCollectionsMarshal.AsImmutableArray(path)
            : throw new InvalidOperationException("Proofs over trees of 2^63 or more entries exceed the encodable path length.");

    private async ValueTask EnsureSizeAsync(ulong treeSize, string parameterName, CancellationToken cancellationToken)
    {
        ulong current = await _store.GetLeafCountAsync(cancellationToken).ConfigureAwait(false);
        if (treeSize > current)
        {
            throw new ArgumentOutOfRangeException(parameterName, treeSize, $"The log holds {current} entries.");
        }
    }

    /// <summary>Lists the stored subtrees of every range (planned on the stack, before any await).</summary>
    private static ProofPlan Plan(ReadOnlySpan<LeafRange> ranges)
    {
        int total = 0;
        foreach (LeafRange range in ranges)
        {
            total += MerkleTreeMath.SubtreeCount(range.Count);
        }

        var ids = new MerkleNodeId[total];
        var parts = new byte[ranges.Length];
        int offset = 0;
        for (int i = 0; i < ranges.Length; i++)
        {
            int written = MerkleTreeMath.Subtrees(ranges[i], ids.AsSpan(offset));
            parts[i] = (byte)written;
            offset += written;
        }

        return new ProofPlan(ids, parts);
    }

    private static ProofPlan PlanInclusion(ulong leafIndex, ulong treeSize)
    {
        Span<LeafRange> ranges = stackalloc LeafRange[MerkleTreeMath.MaxProofRanges];
        int count = MerkleTreeMath.InclusionRanges(leafIndex, treeSize, ranges);
        return Plan(ranges[..count]);
    }

    private static ProofPlan PlanConsistency(ulong oldSize, ulong newSize)
    {
        Span<LeafRange> ranges = stackalloc LeafRange[MerkleTreeMath.MaxProofRanges];
        int count = MerkleTreeMath.ConsistencyRanges(oldSize, newSize, ranges);
        return Plan(ranges[..count]);
    }

    /// <summary>Reads a plan's subtrees in one store call and folds each range into its MTH.</summary>
    private async ValueTask<MerkleHash[]> ResolveAsync(ProofPlan plan, CancellationToken cancellationToken)
    {
        var nodes = new MerkleHash[plan.Ids.Length];
        await _store.ReadNodesAsync(plan.Ids, nodes, cancellationToken).ConfigureAwait(false);

        var result = new MerkleHash[plan.Parts.Length];
        int offset = 0;
        for (int i = 0; i < result.Length; i++)
        {
            int parts = plan.Parts[i];
            result[i] = MerkleTreeMath.FoldSubtrees(nodes.AsSpan(offset, parts));
            offset += parts;
        }

        return result;
    }

    private async ValueTask<ulong> AppendHashesAsync(MerkleHash[] leafHashes, CancellationToken cancellationToken)
    {
        await _appendGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            while (true)
            {
                if (!_frontierLoaded)
                {
                    await LoadFrontierAsync(cancellationToken).ConfigureAwait(false);
                }

                ulong first = _frontierSize;
                BuildBatch(leafHashes, first);
                bool committed = await _store
                    .TryAppendAsync(first, first + (ulong)leafHashes.Length, _pending.Written, cancellationToken)
                    .ConfigureAwait(false);
                if (committed)
                {
                    (_frontier, _scratch) = (_scratch, _frontier);
                    _frontierSize = first + (ulong)leafHashes.Length;
                    return first;
                }

                // Another writer appended first: rebuild on the store's current state.
                _frontierLoaded = false;
            }
        }
        catch
        {
            // The store may be at the old or the new size; only the store knows which.
            _frontierLoaded = false;
            throw;
        }
        finally
        {
            _pending.Clear();
            _appendGate.Release();
        }
    }

    /// <summary>Fills <see cref="_pending"/> with the batch's nodes and <see cref="_scratch"/> with the frontier after it.</summary>
    private void BuildBatch(MerkleHash[] leafHashes, ulong first)
    {
        _pending.Clear();
        Array.Copy(_frontier, _scratch, _frontier.Length);
        for (int i = 0; i < leafHashes.Length; i++)
        {
            MerkleTreeMath.AppendToFrontier(_scratch, first + (ulong)i, leafHashes[i], _pending);
        }
    }

    private async ValueTask LoadFrontierAsync(CancellationToken cancellationToken)
    {
        ulong size = await _store.GetLeafCountAsync(cancellationToken).ConfigureAwait(false);
        var ids = new MerkleNodeId[MerkleTreeMath.SubtreeCount(size)];
        MerkleTreeMath.Subtrees(new LeafRange(0, size), ids);
        var hashes = new MerkleHash[ids.Length];
        await _store.ReadNodesAsync(ids, hashes, cancellationToken).ConfigureAwait(false);
        Array.Clear(_frontier);
        for (int i = 0; i < ids.Length; i++)
        {
            _frontier[ids[i].Level] = hashes[i];
        }

        _frontierSize = size;
        _frontierLoaded = true;
    }
}
