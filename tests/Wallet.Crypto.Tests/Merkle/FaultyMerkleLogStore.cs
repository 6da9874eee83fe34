using Wallet.Crypto.Merkle;

namespace Wallet.Crypto.Tests.Merkle;

/// <summary>
/// Wraps a real store and makes one chosen append fail, either before the inner store commits (a write that
/// never happened) or after (a commit whose acknowledgement was lost).
/// </summary>
internal sealed class FaultyMerkleLogStore(IMerkleLogStore inner, int failingAppend, bool failAfterCommit) : IMerkleLogStore
{
    private int _appends;

    public ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken) => inner.GetLeafCountAsync(cancellationToken);

    public ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken) =>
        inner.ReadNodesAsync(ids, destination, cancellationToken);

    public async ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken)
    {
        bool fail = Interlocked.Increment(ref _appends) == failingAppend;
        if (fail && !failAfterCommit)
        {
            throw new IOException("disk full");
        }

        bool committed = await inner.TryAppendAsync(expectedLeafCount, newLeafCount, nodes, cancellationToken);
        return fail ? throw new IOException("connection reset after commit") : committed;
    }
}
