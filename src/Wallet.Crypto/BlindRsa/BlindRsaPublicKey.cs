namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// The public half of a blind RSA key, tied to one <see cref="BlindRsaScheme"/>. Thread-safe; holds native
/// resources for the fast backend, so dispose it when done.
/// </summary>
/// <remarks>
/// Imports and exports SubjectPublicKeyInfo (RFC 5280) with the rsaEncryption algorithm and the RFC 9578
/// section 6.5 token key form (id-RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48), in DER or PEM.
/// </remarks>
public sealed class BlindRsaPublicKey : IEquatable<BlindRsaPublicKey>, IDisposable
{
    private readonly KeyEngines _engines;
    private readonly RsaBackendKind? _backend;

    internal BlindRsaPublicKey(RsaKeyMaterial material, BlindRsaScheme scheme, RsaBackendKind? backend, byte[]? metadata = null)
    {
        Material = material;
        ModulusBytes = RsaIntegers.ToBytes(material.N, material.ModulusLength);
        (Scheme, Metadata, _backend) = (scheme, metadata, backend);
        _engines = new KeyEngines(
            this,
            () => RsaBackends.CreateEngine(Material, _backend),
            m => RsaBackends.CreateEngine(PartiallyBlindDerivation.DerivePublicKey(Material, m), _backend));
    }

    /// <summary>The scheme this key serves.</summary>
    public BlindRsaScheme Scheme { get; }

    /// <summary>The modulus size in bits.</summary>
    public int ModulusBits => Material.ModulusBits;

    /// <summary>The modulus size in bytes: the length of blinded messages and signatures.</summary>
    public int ModulusLength => Material.ModulusLength;

    /// <summary>The backend that performs this key's raw operations.</summary>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public RsaBackendKind Backend => Engine.Kind;

    /// <summary>Whether this is a metadata-derived key (n, e') produced by <see cref="DerivePublicKey"/>.</summary>
    public bool IsDerived => Metadata is not null;

    internal RsaKeyMaterial Material { get; }

    /// <summary>n as I2OSP(n, k), computed once: range checks compare against it on every operation.</summary>
    internal byte[] ModulusBytes { get; }

    internal byte[]? Metadata { get; }

    internal RsaEngine Engine => _engines.Engine;

    /// <summary>Imports a DER SubjectPublicKeyInfo (rsaEncryption or the RFC 9578 id-RSASSA-PSS form).</summary>
    /// <param name="subjectPublicKeyInfo">The DER encoding; nothing may follow it.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="CryptographicException">The bytes are not such a key, or the key is smaller than 2048 bits.</exception>
    public static BlindRsaPublicKey ImportSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, RsaBackendKind? backend = null) =>
        ImportedOrThrow(TryImportSubjectPublicKeyInfo(subjectPublicKeyInfo, out var key, scheme, backend), key, "Not a valid RSA SubjectPublicKeyInfo of 2048 to 8192 bits.");

    /// <summary>Imports a DER SubjectPublicKeyInfo, returning <see langword="false"/> for malformed input.</summary>
    /// <param name="subjectPublicKeyInfo">The DER encoding; nothing may follow it.</param>
    /// <param name="key">The key, when the method returns <see langword="true"/>.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>Whether the input was a valid key.</returns>
    public static bool TryImportSubjectPublicKeyInfo(ReadOnlySpan<byte> subjectPublicKeyInfo, [NotNullWhen(true)] out BlindRsaPublicKey? key, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, RsaBackendKind? backend = null)
    {
        key = null;
        CheckScheme(scheme);
        if (!RsaKeyEncoding.TryDecodeSubjectPublicKeyInfo(subjectPublicKeyInfo, RsaKeyMaterial.MinimumModulusBits, out var material))
        {
            return false;
        }

        key = new BlindRsaPublicKey(material!, scheme, backend);
        return true;
    }

    /// <summary>Imports a PEM <c>PUBLIC KEY</c> block (SubjectPublicKeyInfo).</summary>
    /// <param name="pem">Text holding exactly one PEM block.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="CryptographicException">The text is not such a key.</exception>
    public static BlindRsaPublicKey ImportFromPem(ReadOnlySpan<char> pem, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, RsaBackendKind? backend = null) =>
        ImportedOrThrow(TryImportFromPem(pem, out var key, scheme, backend), key, "Not a PEM PUBLIC KEY block holding a valid RSA key.");

    /// <summary>Imports a PEM <c>PUBLIC KEY</c> block, returning <see langword="false"/> for malformed input.</summary>
    /// <param name="pem">Text holding exactly one PEM block.</param>
    /// <param name="key">The key, when the method returns <see langword="true"/>.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>Whether the input was a valid key.</returns>
    public static bool TryImportFromPem(ReadOnlySpan<char> pem, [NotNullWhen(true)] out BlindRsaPublicKey? key, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, RsaBackendKind? backend = null)
    {
        key = null;
        return RsaKeyEncoding.TryReadPem(pem, out string label, out byte[] der) &&
               label == "PUBLIC KEY" &&
               TryImportSubjectPublicKeyInfo(der, out key, scheme, backend);
    }

    /// <summary>Exports SubjectPublicKeyInfo with the rsaEncryption algorithm identifier.</summary>
    /// <returns>The DER encoding.</returns>
    public byte[] ExportSubjectPublicKeyInfo() => RsaKeyEncoding.EncodeSubjectPublicKeyInfo(Material, pss: false);

    /// <summary>Exports SubjectPublicKeyInfo as a PEM <c>PUBLIC KEY</c> block.</summary>
    /// <returns>The PEM text.</returns>
    public string ExportSubjectPublicKeyInfoPem() => PemEncoding.WriteString("PUBLIC KEY", ExportSubjectPublicKeyInfo());

    /// <summary>Exports the RFC 9578 token key: SubjectPublicKeyInfo with id-RSASSA-PSS, SHA-384, MGF1-SHA-384, salt 48.</summary>
    /// <returns>The DER encoding.</returns>
    /// <remarks>RFC 9578 section 6.5.</remarks>
    public byte[] ExportRsaPssSubjectPublicKeyInfo() => RsaKeyEncoding.EncodeSubjectPublicKeyInfo(Material, pss: true);

    /// <summary>The RFC 9578 token key identifier: SHA-256 of <see cref="ExportRsaPssSubjectPublicKeyInfo"/>.</summary>
    /// <returns>The 32-byte key id.</returns>
    /// <remarks>RFC 9578 section 6.5 (<c>token_key_id</c>); its last byte is the <c>truncated_token_key_id</c>.</remarks>
    public byte[] ComputeTokenKeyId() => SHA256.HashData(ExportRsaPssSubjectPublicKeyInfo());

    /// <summary>Derives the metadata-specific public key (n, e') of partially blind RSA.</summary>
    /// <param name="metadata">The public metadata (<c>info</c>).</param>
    /// <returns>A derived key, for inspection and export; signing and verification derive it themselves.</returns>
    /// <exception cref="InvalidOperationException">The key is not an RSAPBSSA master key.</exception>
    /// <remarks>draft-irtf-cfrg-partially-blind-rsa, DerivePublicKey.</remarks>
    public BlindRsaPublicKey DerivePublicKey(ReadOnlySpan<byte> metadata)
    {
        if (Scheme != BlindRsaScheme.Rsapbssa || IsDerived)
        {
            throw new InvalidOperationException("Only an RSAPBSSA master key derives metadata keys.");
        }

        return new BlindRsaPublicKey(PartiallyBlindDerivation.DerivePublicKey(Material, metadata), Scheme, _backend, metadata.ToArray());
    }

    /// <summary>The derived public exponent e' as big-endian bytes (for derived keys), or e.</summary>
    /// <returns>The exponent.</returns>
    public byte[] ExportExponent() => Material.E.ToByteArrayUnsigned();

    /// <summary>The modulus n as big-endian bytes of <see cref="ModulusLength"/>.</summary>
    /// <returns>The modulus.</returns>
    public byte[] ExportModulus() => (byte[])ModulusBytes.Clone();

    /// <summary>The engine for (n, e) or, for an RSAPBSSA master key, for (n, e') of <paramref name="metadata"/>.</summary>
    internal RsaEngine EngineFor(ReadOnlySpan<byte> metadata, out bool owned) =>
        _engines.For(metadata, derived: Scheme == BlindRsaScheme.Rsapbssa && !IsDerived, out owned);

    /// <inheritdoc />
    public bool Equals(BlindRsaPublicKey? other) =>
        other is not null && other.Scheme == Scheme && other.Material.N.Equals(Material.N) && other.Material.E.Equals(Material.E);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as BlindRsaPublicKey);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Scheme, Material.N.GetHashCode());

    /// <summary>Describes the key by scheme, size and RFC 9578 key id.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"BlindRsaPublicKey({Scheme}, {ModulusBits} bits, id={Convert.ToHexStringLower(ComputeTokenKeyId())[..16]})";

    /// <summary>Releases the native resources of the backend.</summary>
    public void Dispose() => _engines.Release();

    // The throwing imports are their Try forms plus one exception for every malformed input.
    private static BlindRsaPublicKey ImportedOrThrow(bool imported, BlindRsaPublicKey? key, string error) =>
        imported ? key! : throw new CryptographicException(error);

    internal static void CheckScheme(BlindRsaScheme scheme)
    {
        if (scheme is not (BlindRsaScheme.Rsabssa or BlindRsaScheme.Rsapbssa))
        {
            throw new ArgumentOutOfRangeException(nameof(scheme), scheme, "Unknown blind RSA scheme.");
        }
    }
}
