namespace Wallet.Crypto.Merkle;

/// <summary>
/// Storage behind a <see cref="MerkleLog"/>: a leaf count and a table of node hashes keyed by
/// <see cref="MerkleNodeId"/> (level, index), holding the hash of every complete perfect subtree.
/// </summary>
/// <remarks>
/// <para>
/// Storing every complete subtree (about two nodes per leaf) means any root or proof over a tree of n leaves
/// needs only O(log n) node reads and never the leaves themselves. Nodes are immutable once written.
/// </para>
/// <para>
/// Atomicity contract, which every implementation must honour (the store contract tests check it):
/// <list type="bullet">
/// <item><description><see cref="TryAppendAsync"/> is all-or-nothing: the nodes and the new leaf count become
/// visible together, in one transaction, or not at all. If it throws, the store is left either exactly as it
/// was or (when a remote commit's outcome is unknown) exactly as if it had succeeded — never half-written.</description></item>
/// <item><description>It is a compare-and-set on the leaf count: it writes nothing and returns <see langword="false"/>
/// if the count is no longer the caller's <c>expectedLeafCount</c>, so two writers can never interleave
/// their nodes.</description></item>
/// <item><description>A reader that has seen a leaf count of n can read every node of every tree of size up to n.</description></item>
/// <item><description>A batch holds exactly the nodes that become complete: after it, level L holds
/// <c>newLeafCount &gt;&gt; L</c> nodes for every L. A batch with a node of an unfinished subtree, or missing one, is
/// rejected with <see cref="ArgumentException"/> and writes nothing.</description></item>
/// </list>
/// All methods may be called concurrently. Implementations must not keep references to the memory passed in.
/// </para>
/// <para>
/// A relational store fits in two tables: nodes keyed by (level, index) holding a 32-byte hash, and one row
/// holding the leaf count. <see cref="TryAppendAsync"/> is then one transaction that runs
/// <c>UPDATE … SET leaf_count = new WHERE leaf_count = expected</c>, inserts the nodes only if one row
/// changed, and commits. Indices and counts fit a signed 64-bit column for any log below 2^63 entries.
/// </para>
/// </remarks>
public interface IMerkleLogStore
{
    /// <summary>Returns the number of leaves committed so far.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The committed leaf count.</returns>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken);

    /// <summary>Reads the hashes of the given nodes, in order, in one round trip.</summary>
    /// <param name="ids">The nodes to read.</param>
    /// <param name="destination">Receives one hash per id; the same length as <paramref name="ids"/>.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>A task that completes when <paramref name="destination"/> is filled.</returns>
    /// <exception cref="ArgumentException"><paramref name="destination"/> and <paramref name="ids"/> differ in length.</exception>
    /// <exception cref="KeyNotFoundException">A node has not been written.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken);

    /// <summary>
    /// Atomically, if the leaf count is still <paramref name="expectedLeafCount"/>, writes <paramref name="nodes"/>
    /// and sets the leaf count to <paramref name="newLeafCount"/>.
    /// </summary>
    /// <param name="expectedLeafCount">The leaf count the caller built the batch on.</param>
    /// <param name="newLeafCount">The leaf count after the batch; greater than <paramref name="expectedLeafCount"/>.</param>
    /// <param name="nodes">Every node the new leaves complete (leaf hashes at level 0 included), each level in increasing index order.</param>
    /// <param name="cancellationToken">Cancels the write (which then has no effect).</param>
    /// <returns><see langword="true"/> if the batch was committed; <see langword="false"/> if another writer moved the count first, in which case nothing was written.</returns>
    /// <exception cref="ArgumentException">
    /// <paramref name="newLeafCount"/> is not greater than <paramref name="expectedLeafCount"/>, or <paramref name="nodes"/>
    /// does not continue the stored levels or does not bring every level L to exactly <c>newLeafCount &gt;&gt; L</c> nodes.
    /// </exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken);
}
