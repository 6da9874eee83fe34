namespace Wallet.Protocol.Deposits;

/// <summary>
/// The scheme's signed statement that it credited a provider for a deposit batch, with the log position of the
/// batch's spent-coins entry, a signed tree head and an inclusion proof against it.
/// </summary>
/// <remarks>Signature domain "PB1/deposit-receipt" v1 over every field before the signature. RFC 9162 section 2.1.3 (inclusion).</remarks>
public sealed class DepositReceipt : SignedProtocolMessage<DepositReceipt>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly SignedMessageCodec<DepositReceipt> Codec = RegisterSigned("deposit receipt", Version, "PB1/deposit-receipt", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _requestHash;

    private DepositReceipt(AccountId provider, IdempotencyKey key, byte[] requestHash, Amount total, int coinCount, MerkleHash leafHash, SignedTreeHead treeHead, InclusionProof proof, DateTimeOffset issuedAt, byte[] signature)
        : base(signature)
    {
        (Provider, IdempotencyKey, _requestHash, Total, CoinCount, LeafHash, TreeHead, InclusionProof, IssuedAt) = (provider, key, requestHash, total, coinCount, leafHash, treeHead, proof, issuedAt);
    }

    /// <summary>The credited provider.</summary>
    public AccountId Provider { get; }

    /// <summary>The deposit's idempotency key.</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>SHA-256 of the deposit request.</summary>
    public ReadOnlySpan<byte> RequestHash => _requestHash;

    /// <summary>The amount credited.</summary>
    public Amount Total { get; }

    /// <summary>The number of coins.</summary>
    public int CoinCount { get; }

    /// <summary>The leaf hash of the batch's log entry.</summary>
    public MerkleHash LeafHash { get; }

    /// <summary>A signed tree head that contains the entry.</summary>
    public SignedTreeHead TreeHead { get; }

    /// <summary>The inclusion proof of <see cref="LeafHash"/> in <see cref="TreeHead"/>.</summary>
    public InclusionProof InclusionProof { get; }

    /// <summary>The log index of the batch's entry.</summary>
    public ulong LogIndex => InclusionProof.LeafIndex;

    /// <summary>When the scheme signed.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Signs a receipt.</summary>
    /// <param name="request">The deposit honoured.</param>
    /// <param name="total">The amount credited.</param>
    /// <param name="leafHash">The log entry's leaf hash.</param>
    /// <param name="treeHead">A tree head containing it.</param>
    /// <param name="proof">The inclusion proof.</param>
    /// <param name="issuedAt">The signing time.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public static DepositReceipt Sign(DepositRequest request, Amount total, MerkleHash leafHash, SignedTreeHead treeHead, InclusionProof proof, DateTimeOffset issuedAt, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(treeHead);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(schemeKey);
        var at = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        var unsigned = new DepositReceipt(request.Provider, request.IdempotencyKey, request.Hash(), total, request.Spends.Length, leafHash, treeHead, proof, at, []);
        byte[] signature = Codec.Sign(unsigned, schemeKey);
        return new DepositReceipt(unsigned.Provider, unsigned.IdempotencyKey, unsigned._requestHash, total, unsigned.CoinCount, leafHash, treeHead, proof, at, signature);
    }

    /// <summary>
    /// Checks the receipt offline: the scheme's signature, the tree head's signature, and the inclusion of the leaf.
    /// </summary>
    /// <param name="request">The deposit the provider sent.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether every check passes.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool Verify(DepositRequest request, Ed25519PublicKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schemeKey);
        return request.Provider == Provider
            && request.IdempotencyKey == IdempotencyKey
            && request.Spends.Length == CoinCount
            && request.Hash().AsSpan().SequenceEqual(_requestHash)
            && Codec.Verify(this, schemeKey)
            && TreeHead.Verify(schemeKey)
            && InclusionProof.Verify(LeafHash, TreeHead);
    }

    private static DepositReceipt ReadFields(ref ProtocolReader r)
    {
        var provider = r.Account("provider_id");
        var key = new IdempotencyKey(r.Ascii("idempotency_key"));
        byte[] hash = r.Fixed(32, "request_hash").ToArray();
        var total = r.Amount("total");
        int count = r.U16("coin_count");
        var leaf = new MerkleHash(r.Fixed(MerkleHash.Length, "leaf_hash"));
        if (!SignedTreeHead.TryDecode(r.Fixed(SignedTreeHead.EncodedLength, "tree_head"), out var head))
        {
            throw new ProtocolFormatException("Invalid tree head.");
        }

        if (!InclusionProof.TryDecode(r.Opaque16("inclusion_proof"), out var proof))
        {
            throw new ProtocolFormatException("Invalid inclusion proof.");
        }

        var at = r.Time("issued_at");
        return new DepositReceipt(provider, key, hash, total, count, leaf, head, proof, at, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Provider.Value);
        w.Ascii(IdempotencyKey.Value);
        w.Fixed(_requestHash);
        w.Amount(Total);
        w.U16(CoinCount);
        w.Fixed(LeafHash.ToArray());
        w.Fixed(TreeHead.Encode());
        w.Opaque16(InclusionProof.Encode());
        w.Time(IssuedAt);
    }
}
