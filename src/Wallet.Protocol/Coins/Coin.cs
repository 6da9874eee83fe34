namespace Wallet.Protocol.Coins;

/// <summary>
/// An issued coin: keyset id, the coin's Ed25519 public key (its <see cref="CoinId"/>) and the issuer's
/// unblinded RSA signature over <see cref="BuildMessage"/>.
/// </summary>
/// <remarks>RFC 9474 section 4 (Finalize); verification is RSASSA-PSS-SHA384, salt 48, with the keyset's key.</remarks>
public sealed class Coin : ProtocolMessage<Coin>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly MessageCodec<Coin> Codec = Register(new MessageCodec<Coin>("coin", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    /// <summary>Largest issuer signature (RSA-8192).</summary>
    public const int MaxSignatureLength = 1024;

    private static readonly byte[] s_label = "PB1/coin"u8.ToArray();
    private readonly byte[] _signature;

    /// <summary>Creates a coin.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="id">The coin id (Ed25519 public key).</param>
    /// <param name="issuerSignature">The RSA signature.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The signature is empty or too long.</exception>
    public Coin(KeysetId keyset, CoinId id, ReadOnlySpan<byte> issuerSignature)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(id);
        if (issuerSignature.IsEmpty || issuerSignature.Length > MaxSignatureLength)
        {
            throw new ArgumentException("The issuer signature has 1 to 1024 bytes.", nameof(issuerSignature));
        }

        Keyset = keyset;
        Id = id;
        _signature = issuerSignature.ToArray();
    }

    /// <summary>The keyset id.</summary>
    public KeysetId Keyset { get; }

    /// <summary>The coin id: the coin's Ed25519 public key.</summary>
    public CoinId Id { get; }

    /// <summary>The issuer's RSA signature.</summary>
    public ReadOnlySpan<byte> IssuerSignature => _signature;

    /// <summary>The blind-signed message: "PB1/coin" ‖ keyset id ‖ coin public key.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="coin">The coin id.</param>
    /// <returns>The 72-byte message.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static byte[] BuildMessage(KeysetId keyset, CoinId coin)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(coin);
        return [.. s_label, .. keyset.Bytes, .. coin.Bytes];
    }

    /// <summary>Checks the issuer signature against the keyset.</summary>
    /// <param name="descriptor">The coin's keyset.</param>
    /// <returns>False for a wrong keyset or any bad signature.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    public bool VerifyIssuer(KeysetDescriptor descriptor)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (descriptor.Id != Keyset)
        {
            return false;
        }

        try
        {
            using var key = descriptor.ImportPublicKey();
            return VerifyIssuerWith(descriptor, new BlindRsaVerifier(descriptor.Algorithm, key));
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>The hot-path form: a verifier built once per keyset by the caller.</summary>
    internal bool VerifyIssuerWith(KeysetDescriptor descriptor, BlindRsaVerifier verifier)
    {
        if (descriptor.Id != Keyset)
        {
            return false;
        }

        byte[] message = BuildMessage(Keyset, Id);
        return descriptor.Mode == BlindRsaScheme.Rsabssa
            ? verifier.Verify(message, _signature)
            : verifier.Verify(message, _signature, descriptor.Metadata);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Coin({Id})";

    private void WriteFields(ProtocolWriter w)
    {
        w.Fixed(Keyset.Bytes);
        w.Fixed(Id.Bytes);
        w.Opaque16(_signature);
    }

    private static Coin ReadFields(ref ProtocolReader r)
    {
        var keyset = r.Keyset("keyset_id");
        var id = r.Coin("coin_id");
        return new Coin(keyset, id, r.Opaque16("issuer_signature", 1, MaxSignatureLength));
    }
}
