using Wallet.Crypto.Merkle;

namespace Wallet.Crypto.Tests.Merkle;

/// <summary>Wraps a real store and counts node reads, to show how much of the tree an operation touches.</summary>
internal sealed class CountingMerkleLogStore(IMerkleLogStore inner) : IMerkleLogStore
{
    public long NodesRead { get; set; }

    public ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken) => inner.GetLeafCountAsync(cancellationToken);

    public ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken)
    {
        NodesRead += ids.Length;
        return inner.ReadNodesAsync(ids, destination, cancellationToken);
    }

    public ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken) =>
        inner.TryAppendAsync(expectedLeafCount, newLeafCount, nodes, cancellationToken);
}
