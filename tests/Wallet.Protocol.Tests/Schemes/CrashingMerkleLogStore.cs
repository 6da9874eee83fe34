using Wallet.Crypto.Merkle;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>
/// A real in-memory Merkle store that dies once at a chosen moment of the next append: before the leaf is written
/// (the entry's bytes are already stored) or after it (nothing after the append has run). What the scheme left
/// behind is then exactly what a process killed at that point would leave.
/// </summary>
public sealed class CrashingMerkleLogStore : IMerkleLogStore
{
    private readonly InMemoryMerkleLogStore _inner = new();

    public enum Moment
    {
        None,
        BeforeAppend,
        AfterAppend,
    }

    public Moment CrashAt { get; set; }

    public ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken) => _inner.GetLeafCountAsync(cancellationToken);

    public ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken) =>
        _inner.ReadNodesAsync(ids, destination, cancellationToken);

    public async ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken)
    {
        var moment = CrashAt;
        if (moment == Moment.BeforeAppend)
        {
            CrashAt = Moment.None;
            throw new SimulatedCrashException();
        }

        bool appended = await _inner.TryAppendAsync(expectedLeafCount, newLeafCount, nodes, cancellationToken);
        if (moment == Moment.AfterAppend)
        {
            CrashAt = Moment.None;
            throw new SimulatedCrashException();
        }

        return appended;
    }
}
