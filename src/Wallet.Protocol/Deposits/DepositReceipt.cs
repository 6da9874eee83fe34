namespace Wallet.Protocol.Deposits;

/// <summary>
/// The scheme's signed statement of what it credited a provider for a deposit batch: the accepted payments, their
/// coin count and total, with the log position of the spent-coins entry of those coins, a signed tree head and an
/// inclusion proof against it.
/// </summary>
/// <remarks>
/// Signature domain "PB1/deposit-receipt" v1 over every field before the signature (docs/PROTOCOL.md section 3,
/// deposit receipt, encoding version 2). RFC 9162 section 2.1.3 (inclusion). Payments of the batch that are not
/// listed were not credited by this deposit.
/// </remarks>
public sealed class DepositReceipt : SignedProtocolMessage<DepositReceipt>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 2;

    /// <summary>Most accepted payments a receipt lists (one per spend of the largest batch).</summary>
    public const int MaxPayments = DepositRequest.MaxSpends;

    private static readonly SignedMessageCodec<DepositReceipt> Codec = RegisterSigned("deposit receipt", Version, "PB1/deposit-receipt", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _requestHash;

    private DepositReceipt(AccountId provider, IdempotencyKey key, byte[] requestHash, ImmutableArray<PaymentId> payments, Amount total, int coinCount, MerkleHash leafHash, SignedTreeHead treeHead, InclusionProof proof, DateTimeOffset issuedAt, byte[] signature)
        : base(signature)
    {
        (Provider, IdempotencyKey, _requestHash, Payments, Total, CoinCount, LeafHash, TreeHead, InclusionProof, IssuedAt) = (provider, key, requestHash, payments, total, coinCount, leafHash, treeHead, proof, issuedAt);
    }

    /// <summary>The credited provider.</summary>
    public AccountId Provider { get; }

    /// <summary>The deposit's idempotency key.</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>SHA-256 of the deposit request.</summary>
    public ReadOnlySpan<byte> RequestHash => _requestHash;

    /// <summary>The payments credited, in ascending byte order; every other payment of the batch was not credited by this deposit.</summary>
    public ImmutableArray<PaymentId> Payments { get; }

    /// <summary>The amount credited: the value of the coins of <see cref="Payments"/>.</summary>
    public Amount Total { get; }

    /// <summary>The number of coins credited: the coins of <see cref="Payments"/>.</summary>
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
    /// <param name="payments">The payments of <paramref name="request"/> credited; at least one, each once, in any order.</param>
    /// <param name="total">The amount credited: the value of those payments' coins.</param>
    /// <param name="leafHash">The log entry's leaf hash.</param>
    /// <param name="treeHead">A tree head containing it.</param>
    /// <param name="proof">The inclusion proof.</param>
    /// <param name="issuedAt">The signing time.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The receipt.</returns>
    /// <exception cref="ArgumentNullException">A reference argument or an item of <paramref name="payments"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="payments"/> is empty, names a payment twice, or names a payment that is not in <paramref name="request"/>.</exception>
    public static DepositReceipt Sign(DepositRequest request, IReadOnlyCollection<PaymentId> payments, Amount total, MerkleHash leafHash, SignedTreeHead treeHead, InclusionProof proof, DateTimeOffset issuedAt, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(payments);
        ArgumentNullException.ThrowIfNull(treeHead);
        ArgumentNullException.ThrowIfNull(proof);
        ArgumentNullException.ThrowIfNull(schemeKey);
        if (payments.Any(p => p is null))
        {
            throw new ArgumentNullException(nameof(payments));
        }

        var sorted = payments.Order().ToImmutableArray();
        if (sorted.Length == 0)
        {
            throw new ArgumentException("A receipt credits at least one payment.", nameof(payments));
        }

        if (!IsStrictlyAscending(sorted) || CountCoins(request, sorted) is not int count)
        {
            throw new ArgumentException("Every payment is a distinct payment of the request.", nameof(payments));
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        var unsigned = new DepositReceipt(request.Provider, request.IdempotencyKey, request.Hash(), sorted, total, count, leafHash, treeHead, proof, at, []);
        byte[] signature = Codec.Sign(unsigned, schemeKey);
        return new DepositReceipt(unsigned.Provider, unsigned.IdempotencyKey, unsigned._requestHash, sorted, total, count, leafHash, treeHead, proof, at, signature);
    }

    /// <summary>
    /// Checks the receipt offline: it answers <paramref name="request"/>, its payments are payments of the request and
    /// the coin count is theirs, the scheme's signature, the tree head's signature, and the inclusion of the leaf.
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
            && CountCoins(request, Payments) == CoinCount
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
        var payments = r.List("payments", MaxPayments, static (ref ProtocolReader p) => new PaymentId(p.Fixed(PaymentId.Length, "payment_id")), "A deposit receipt credits at least one payment.");
        if (!IsStrictlyAscending(payments))
        {
            throw new ProtocolFormatException("A deposit receipt's payments are in strictly ascending order.");
        }

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
        return new DepositReceipt(provider, key, hash, payments, total, count, leaf, head, proof, at, r.Signature());
    }

    // The number of spends of the request that belong to the payments, or null when one is not a payment of it.
    private static int? CountCoins(DepositRequest request, ImmutableArray<PaymentId> payments)
    {
        var counts = payments.ToDictionary(p => p, _ => 0);
        foreach (var spend in request.Spends)
        {
            if (counts.TryGetValue(spend.Request.Id, out int n))
            {
                counts[spend.Request.Id] = n + 1;
            }
        }

        return counts.Values.Any(n => n == 0) ? null : counts.Values.Sum();
    }

    private static bool IsStrictlyAscending(ImmutableArray<PaymentId> payments)
    {
        for (int i = 1; i < payments.Length; i++)
        {
            if (payments[i - 1].CompareTo(payments[i]) >= 0)
            {
                return false;
            }
        }

        return true;
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Provider.Value);
        w.Ascii(IdempotencyKey.Value);
        w.Fixed(_requestHash);
        w.List(Payments, static (p, w) => w.Fixed(p.Bytes));
        w.Amount(Total);
        w.U16(CoinCount);
        w.Fixed(LeafHash.ToArray());
        w.Fixed(TreeHead.Encode());
        w.Opaque16(InclusionProof.Encode());
        w.Time(IssuedAt);
    }
}
