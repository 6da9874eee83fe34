namespace Wallet.Crypto.Merkle;

/// <summary>A reusable growable list of nodes completed by an append, handed to the store as memory.</summary>
internal sealed class MerkleNodeBuffer
{
    private MerkleNode[] _items = new MerkleNode[64];

    public int Count { get; private set; }

    public ReadOnlyMemory<MerkleNode> Written => _items.AsMemory(0, Count);

    public void Add(MerkleNode node)
    {
        if (Count == _items.Length)
        {
            Array.Resize(ref _items, _items.Length * 2);
        }

        _items[Count++] = node;
    }

    public void Clear() => Count = 0;
}
