namespace Wallet.Protocol.Swaps;

/// <summary>
/// One coin spent into a swap, as standalone evidence: the coin, the hash of the swap body it was signed over and
/// the coin key's signature over keyset id ‖ coin id ‖ swap hash. Anyone can check it without the swap itself.
/// </summary>
/// <remarks>Signature domain "PB1/swap-spend" v1; docs/PROTOCOL.md section 5.10.</remarks>
public sealed class SwapSpend : ProtocolMessage<SwapSpend>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Length of the swap hash (SHA-256).</summary>
    public const int HashLength = 32;

    /// <summary>The signature domain.</summary>
    public static SignatureDomain Domain { get; } = new("PB1/swap-spend", 1);

    private static readonly MessageCodec<SwapSpend> Codec = Register(new MessageCodec<SwapSpend>("swap spend", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    private readonly byte[] _swapHash;
    private readonly byte[] _signature;

    /// <summary>Creates the evidence from its parts.</summary>
    /// <param name="coin">The coin.</param>
    /// <param name="swapHash">SHA-256 of the swap body (<see cref="SwapRequest.BodyHash"/>).</param>
    /// <param name="spendSignature">The coin key's signature.</param>
    /// <exception cref="ArgumentNullException"><paramref name="coin"/> is null.</exception>
    /// <exception cref="ArgumentException">The hash is not 32 bytes or the signature not 64.</exception>
    public SwapSpend(Coin coin, ReadOnlySpan<byte> swapHash, ReadOnlySpan<byte> spendSignature)
    {
        ArgumentNullException.ThrowIfNull(coin);
        if (swapHash.Length != HashLength)
        {
            throw new ArgumentException("The swap hash has 32 bytes.", nameof(swapHash));
        }

        if (spendSignature.Length != Ed25519PublicKey.SignatureLength)
        {
            throw new ArgumentException("An Ed25519 signature has 64 bytes.", nameof(spendSignature));
        }

        Coin = coin;
        _swapHash = swapHash.ToArray();
        _signature = spendSignature.ToArray();
    }

    /// <summary>The coin.</summary>
    public Coin Coin { get; }

    /// <summary>The hash of the swap body the coin was spent into.</summary>
    public ReadOnlySpan<byte> SwapHash => _swapHash;

    /// <summary>The coin key's signature.</summary>
    public ReadOnlySpan<byte> SpendSignature => _signature;

    /// <summary>Checks the coin key's signature (not the issuer signature).</summary>
    /// <returns>Whether the signature is valid.</returns>
    public bool Verify() =>
        Ed25519PublicKey.TryImport(Coin.Id.Bytes, out var key) && key.Verify(Domain, SignedContent(Coin, _swapHash), _signature);

    /// <inheritdoc/>
    public override string ToString() => $"SwapSpend({Coin.Id})";

    internal static byte[] SignedContent(Coin coin, ReadOnlySpan<byte> swapHash) => [.. coin.Keyset.Bytes, .. coin.Id.Bytes, .. swapHash];

    private void WriteFields(ProtocolWriter w)
    {
        Coin.Write(w);
        w.Fixed(_swapHash);
        w.Fixed(_signature);
    }

    private static SwapSpend ReadFields(ref ProtocolReader r)
    {
        var coin = Coin.Read(ref r);
        var hash = r.Fixed(HashLength, "swap_hash");
        return new SwapSpend(coin, hash, r.Fixed(Ed25519PublicKey.SignatureLength, "spend_signature"));
    }
}
