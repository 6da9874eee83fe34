namespace Wallet.Protocol.Refunds;

/// <summary>
/// The claim of a provider's refund by the wallet that holds the refunded coins: the refund, blinded outputs of exactly
/// the refunded value, and one signature per refunded coin by that coin's key over the claim's body. No account: the
/// coin keys are what proves the claimant paid, so the scheme learns nothing about who it pays back.
/// </summary>
/// <remarks>
/// Each coin signature has domain "PB1/refund-claim" v1 over coin id ‖ SHA-256(version ‖ body), so a claim cannot be
/// redirected to other outputs or another key. docs/PROTOCOL.md 5.17.
/// </remarks>
public sealed class RefundClaimRequest : ProtocolMessage<RefundClaimRequest>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Most output coins per claim.</summary>
    public const int MaxOutputs = 256;

    /// <summary>The domain of every coin signature.</summary>
    public static SignatureDomain CoinSignatureDomain { get; } = new("PB1/refund-claim", 1);

    private static readonly MessageCodec<RefundClaimRequest> Codec = Register(new MessageCodec<RefundClaimRequest>("refund claim request", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    private readonly ImmutableArray<byte[]> _signatures;

    private RefundClaimRequest(IdempotencyKey key, ProviderRefund refund, ImmutableArray<WithdrawalItem> outputs, ImmutableArray<byte[]> signatures)
    {
        (IdempotencyKey, Refund, Outputs, _signatures) = (key, refund, outputs, signatures);
    }

    /// <summary>The idempotency key (fresh and random; a retry resends the same bytes).</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>The provider's refund.</summary>
    public ProviderRefund Refund { get; }

    /// <summary>The coins asked for, worth exactly <see cref="ProviderRefund.Amount"/>.</summary>
    public ImmutableArray<WithdrawalItem> Outputs { get; }

    /// <summary>Builds a claim and signs it with the key of every refunded coin.</summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="refund">The provider's refund.</param>
    /// <param name="outputs">1 to 256 blinded coins.</param>
    /// <param name="coinKeys">The key of each refunded coin, in the refund's coin order (not disposed).</param>
    /// <returns>The signed claim.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The outputs are empty or too many, or a key is not its coin's.</exception>
    public static RefundClaimRequest Sign(IdempotencyKey key, ProviderRefund refund, IReadOnlyList<WithdrawalItem> outputs, IReadOnlyList<Ed25519SigningKey> coinKeys)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(refund);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(coinKeys);
        if (outputs.Count is 0 or > MaxOutputs)
        {
            throw new ArgumentException("A claim asks for 1 to 256 coins.", nameof(outputs));
        }

        if (coinKeys.Count != refund.Coins.Length)
        {
            throw new ArgumentException("One key per refunded coin.", nameof(coinKeys));
        }

        var unsigned = new RefundClaimRequest(key, refund, [.. outputs], []);
        byte[] hash = unsigned.BodyHash();
        var signatures = new byte[coinKeys.Count][];
        for (int i = 0; i < signatures.Length; i++)
        {
            if (!coinKeys[i].PublicKey.AsSpan().SequenceEqual(refund.Coins[i].Bytes))
            {
                throw new ArgumentException("A key is not its coin's key.", nameof(coinKeys));
            }

            signatures[i] = coinKeys[i].Sign(CoinSignatureDomain, SignedContent(refund.Coins[i], hash));
        }

        return new RefundClaimRequest(key, refund, unsigned.Outputs, [.. signatures]);
    }

    /// <summary>Checks the signature of refunded coin <paramref name="index"/> over this claim.</summary>
    /// <param name="index">The index in <see cref="ProviderRefund.Coins"/>.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="index"/> is outside the coins.</exception>
    public bool VerifyCoin(int index) => VerifyCoin(index, BodyHash());

    /// <summary>The index of the first refunded coin whose signature is invalid, hashing the body once.</summary>
    /// <returns>The index, or null when every coin signed this claim.</returns>
    public int? FirstBadCoinSignature()
    {
        byte[] hash = BodyHash();
        for (int i = 0; i < Refund.Coins.Length; i++)
        {
            if (!VerifyCoin(i, hash))
            {
                return i;
            }
        }

        return null;
    }

    /// <summary>SHA-256 of the version and body (everything before the signatures): what every coin signature binds.</summary>
    /// <returns>32 bytes.</returns>
    public byte[] BodyHash() => SHA256.HashData(ProtocolCodec.Encode(w =>
    {
        w.U8(Version);
        WriteBody(w);
    }));

    /// <inheritdoc/>
    public override string ToString() => $"RefundClaimRequest({IdempotencyKey}, {Refund.Coins.Length} coins, {Outputs.Length} out)";

    private bool VerifyCoin(int index, byte[] hash)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfGreaterThanOrEqual(index, Refund.Coins.Length);
        var coin = Refund.Coins[index];
        return Ed25519PublicKey.TryImport(coin.Bytes, out var key) && key.Verify(CoinSignatureDomain, SignedContent(coin, hash), _signatures[index]);
    }

    private static byte[] SignedContent(CoinId coin, byte[] hash) => [.. coin.Bytes, .. hash];

    private void WriteFields(ProtocolWriter w)
    {
        WriteBody(w);
        foreach (var s in _signatures)
        {
            w.Fixed(s);
        }
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(IdempotencyKey.Value);
        w.Opaque16(Refund.Encode());
        w.List(Outputs, static (item, w) => item.Write(w));
    }

    private static RefundClaimRequest ReadFields(ref ProtocolReader r)
    {
        var key = new IdempotencyKey(r.Ascii("idempotency_key"));
        var refund = ProviderRefund.Decode(r.Opaque16("refund", 1));
        var outputs = r.List("outputs", MaxOutputs, WithdrawalItem.Read, "A claim asks for at least one coin.");
        var signatures = ImmutableArray.CreateBuilder<byte[]>(refund.Coins.Length);
        for (int i = 0; i < refund.Coins.Length; i++)
        {
            signatures.Add(r.Fixed(Ed25519PublicKey.SignatureLength, "coin_signature").ToArray());
        }

        return new RefundClaimRequest(key, refund, outputs, signatures.MoveToImmutable());
    }
}
