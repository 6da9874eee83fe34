using Wallet.Crypto.Merkle;

namespace Scheme.Server.FaultInjection;

/// <summary>The Merkle node store, dying at <see cref="CrashPoint.AfterLogAppend"/> once a leaf batch is committed.</summary>
internal sealed class CrashingMerkleLogStore(IMerkleLogStore inner, CrashPoint crash) : IMerkleLogStore
{
    public ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken) => inner.GetLeafCountAsync(cancellationToken);

    public ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken) =>
        inner.ReadNodesAsync(ids, destination, cancellationToken);

    public async ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken)
    {
        bool appended = await inner.TryAppendAsync(expectedLeafCount, newLeafCount, nodes, cancellationToken).ConfigureAwait(false);
        if (appended)
        {
            crash.Reached(CrashPoint.AfterLogAppend, crash.Logging, $"leaf {expectedLeafCount} committed");
        }

        return appended;
    }
}
