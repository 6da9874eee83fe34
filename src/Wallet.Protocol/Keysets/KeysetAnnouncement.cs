namespace Wallet.Protocol.Keysets;

/// <summary>A keyset descriptor signed by the scheme's Ed25519 key; the payload of a keyset log entry.</summary>
/// <remarks>Signature domain "PB1/keyset-announcement" v1 over the descriptor encoding.</remarks>
public sealed class KeysetAnnouncement : ProtocolMessage<KeysetAnnouncement>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>The signature domain.</summary>
    public static SignatureDomain Domain { get; } = new("PB1/keyset-announcement", 1);

    private static readonly MessageCodec<KeysetAnnouncement> Codec = Register(new MessageCodec<KeysetAnnouncement>("keyset announcement", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    private readonly byte[] _signature;

    /// <summary>Wraps a descriptor and its signature.</summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <param name="signature">The scheme's 64-byte Ed25519 signature.</param>
    /// <exception cref="ArgumentNullException"><paramref name="descriptor"/> is null.</exception>
    /// <exception cref="ArgumentException">The signature is not 64 bytes.</exception>
    public KeysetAnnouncement(KeysetDescriptor descriptor, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        if (signature.Length != Ed25519PublicKey.SignatureLength)
        {
            throw new ArgumentException("An Ed25519 signature has 64 bytes.", nameof(signature));
        }

        Descriptor = descriptor;
        _signature = signature.ToArray();
    }

    /// <summary>The descriptor.</summary>
    public KeysetDescriptor Descriptor { get; }

    /// <summary>The scheme's signature.</summary>
    public ReadOnlySpan<byte> Signature => _signature;

    /// <summary>Signs a descriptor.</summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <param name="schemeKey">The scheme's signing key.</param>
    /// <returns>The announcement.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static KeysetAnnouncement Sign(KeysetDescriptor descriptor, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(schemeKey);
        return new KeysetAnnouncement(descriptor, schemeKey.Sign(Domain, descriptor.Encode()));
    }

    /// <summary>Checks the scheme's signature.</summary>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether the signature is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schemeKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(schemeKey);
        return schemeKey.Verify(Domain, Descriptor.Encode(), _signature);
    }

    private void WriteFields(ProtocolWriter w)
    {
        Descriptor.Write(w);
        w.Fixed(_signature);
    }

    private static KeysetAnnouncement ReadFields(ref ProtocolReader r)
    {
        var descriptor = KeysetDescriptor.Read(ref r);
        return new KeysetAnnouncement(descriptor, r.Fixed(Ed25519PublicKey.SignatureLength, "signature"));
    }
}
