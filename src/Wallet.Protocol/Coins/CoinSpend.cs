namespace Wallet.Protocol.Coins;

/// <summary>
/// A coin spent against one payment request: the coin, the provider's signed request and the coin key's
/// Ed25519 signature over keyset id ‖ coin id ‖ SHA-256(request). Redirecting the coin means forging that signature.
/// </summary>
/// <remarks>Signature domain "PB1/coin-spend" v1.</remarks>
public sealed class CoinSpend : ProtocolMessage<CoinSpend>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>The signature domain.</summary>
    public static SignatureDomain Domain { get; } = new("PB1/coin-spend", 1);

    private static readonly MessageCodec<CoinSpend> Codec = Register(new MessageCodec<CoinSpend>("coin spend", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    private readonly byte[] _signature;

    /// <summary>Creates a spend from its parts.</summary>
    /// <param name="coin">The coin.</param>
    /// <param name="request">The payment request.</param>
    /// <param name="spendSignature">The coin key's 64-byte signature.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The signature is not 64 bytes.</exception>
    public CoinSpend(Coin coin, PaymentRequest request, ReadOnlySpan<byte> spendSignature)
    {
        ArgumentNullException.ThrowIfNull(coin);
        ArgumentNullException.ThrowIfNull(request);
        if (spendSignature.Length != Ed25519PublicKey.SignatureLength)
        {
            throw new ArgumentException("An Ed25519 signature has 64 bytes.", nameof(spendSignature));
        }

        Coin = coin;
        Request = request;
        _signature = spendSignature.ToArray();
    }

    /// <summary>The coin.</summary>
    public Coin Coin { get; }

    /// <summary>The payment request the coin pays.</summary>
    public PaymentRequest Request { get; }

    /// <summary>The coin key's signature.</summary>
    public ReadOnlySpan<byte> SpendSignature => _signature;

    /// <summary>Signs a spend with the coin key.</summary>
    /// <param name="coin">The coin.</param>
    /// <param name="request">The request to pay.</param>
    /// <param name="coinKey">The coin's private key (its public key must be the coin id).</param>
    /// <returns>The spend.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key does not belong to the coin.</exception>
    public static CoinSpend Sign(Coin coin, PaymentRequest request, Ed25519SigningKey coinKey)
    {
        ArgumentNullException.ThrowIfNull(coin);
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(coinKey);
        if (!coinKey.PublicKey.AsSpan().SequenceEqual(coin.Id.Bytes))
        {
            throw new ArgumentException("The key is not the coin's key.", nameof(coinKey));
        }

        return new CoinSpend(coin, request, coinKey.Sign(Domain, SignedContent(coin, request)));
    }

    /// <summary>Checks the coin key's signature (not the issuer signature; see <see cref="Coin.VerifyIssuer"/>).</summary>
    /// <returns>Whether the spend signature is valid.</returns>
    public bool VerifySpendSignature() =>
        Ed25519PublicKey.TryImport(Coin.Id.Bytes, out var key) && key.Verify(Domain, SignedContent(Coin, Request), _signature);

    /// <inheritdoc/>
    public override string ToString() => $"CoinSpend({Coin.Id} -> {Request.Provider})";

    private void WriteFields(ProtocolWriter w)
    {
        Coin.Write(w);
        Request.Write(w);
        w.Fixed(_signature);
    }

    private static CoinSpend ReadFields(ref ProtocolReader r)
    {
        var coin = Coin.Read(ref r);
        var request = PaymentRequest.Read(ref r);
        return new CoinSpend(coin, request, r.Fixed(Ed25519PublicKey.SignatureLength, "spend_signature"));
    }

    private static byte[] SignedContent(Coin coin, PaymentRequest request) => [.. coin.Keyset.Bytes, .. coin.Id.Bytes, .. request.Hash()];
}
