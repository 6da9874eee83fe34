using Org.BouncyCastle.Math;

namespace Wallet.Crypto.BlindRsa;

/// <summary>
/// A blind RSA signing key, tied to one <see cref="BlindRsaScheme"/>: an RSABSSA key refuses to act as an RSAPBSSA key
/// and the reverse. Export is allowed only for keys created or imported as exportable. <see cref="ToString"/> shows
/// only public facts; <see cref="Dispose"/> releases the key.
/// </summary>
/// <remarks>
/// PKCS#8 (RFC 5208) and PKCS#1 (RFC 8017 appendix A.1.2) in DER or PEM. RSAPBSSA keys must have safe primes
/// (draft-irtf-cfrg-partially-blind-rsa section 7): import checks that, generation produces them.
/// Key material in managed memory is wiped on a best-effort basis (see <see cref="Dispose"/>).
/// </remarks>
public sealed class BlindRsaPrivateKey : IDisposable
{
    private readonly RsaKeyMaterial _material;
    private readonly KeyEngines _engines;
    private readonly RsaBackendKind? _backend;
    private readonly bool _exportable;

    private BlindRsaPrivateKey(RsaKeyMaterial material, BlindRsaScheme scheme, bool exportable, RsaBackendKind? backend, Func<RsaKeyMaterial, RsaEngine>? engineFactory = null)
    {
        (_material, _exportable, _backend, Scheme) = (material, exportable, backend, scheme);
        PublicKey = new BlindRsaPublicKey(material.ToPublic(), scheme, backend);
        engineFactory ??= m => RsaBackends.CreateEngine(m, _backend);
        _engines = new KeyEngines(this, () => engineFactory(_material), m => engineFactory(PartiallyBlindDerivation.DeriveKeyPair(_material, m)));
    }

    /// <summary>The scheme this key serves.</summary>
    public BlindRsaScheme Scheme { get; }

    /// <summary>The public key.</summary>
    public BlindRsaPublicKey PublicKey { get; }

    /// <summary>The modulus size in bits.</summary>
    public int ModulusBits => _material.ModulusBits;

    /// <summary>The backend that performs this key's private operations (for RSAPBSSA, see <see cref="GetBackend"/>).</summary>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public RsaBackendKind Backend => Engine.Kind;

    /// <summary>
    /// The backend that signs under <paramref name="metadata"/>. For RSAPBSSA keys above 3072 bits this is the managed
    /// backend even when OpenSSL was requested: OpenSSL refuses public exponents longer than 64 bits for such moduli,
    /// and the derived exponent e' is half the modulus long.
    /// </summary>
    /// <param name="metadata">The public metadata (ignored for RSABSSA keys).</param>
    /// <returns>The backend in use.</returns>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public RsaBackendKind GetBackend(ReadOnlySpan<byte> metadata)
    {
        var engine = EngineFor(metadata, out bool owned);
        try
        {
            return engine.Kind;
        }
        finally
        {
            if (owned)
            {
                engine.Dispose();
            }
        }
    }

    internal RsaEngine Engine => _engines.Engine;

    /// <summary>Generates a key with the public exponent 65537.</summary>
    /// <param name="modulusBits">A multiple of 16 from 2048 to 8192; typically 2048, 3072 or 4096.</param>
    /// <param name="scheme">The scheme; RSAPBSSA keys are built from safe primes, which takes seconds to minutes.</param>
    /// <param name="exportable">Whether the key may be exported (a scheme operator stores its keys).</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="modulusBits"/> is out of range or not a multiple of 16, or <paramref name="scheme"/> is unknown.</exception>
    public static BlindRsaPrivateKey Generate(int modulusBits, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, bool exportable = false, RsaBackendKind? backend = null)
    {
        BlindRsaPublicKey.CheckScheme(scheme);
        if (modulusBits < RsaKeyMaterial.MinimumModulusBits || modulusBits > RsaKeyMaterial.MaximumModulusBits || modulusBits % 16 != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(modulusBits), modulusBits, "Modulus size must be a multiple of 16 from 2048 to 8192 bits.");
        }

        RsaKeyMaterial material = scheme == BlindRsaScheme.Rsabssa
            ? GenerateStandard(modulusBits)
            : GenerateWithSafePrimes(modulusBits, backend);
        return new BlindRsaPrivateKey(material, scheme, exportable, backend);
    }

    /// <summary>Imports a DER PKCS#8 PrivateKeyInfo.</summary>
    /// <param name="pkcs8">The DER encoding; nothing may follow it.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="exportable">Whether the key may be exported again.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="CryptographicException">The bytes are not a valid RSA private key of 2048 to 8192 bits (for RSAPBSSA, with safe primes).</exception>
    public static BlindRsaPrivateKey ImportPkcs8(ReadOnlySpan<byte> pkcs8, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, bool exportable = false, RsaBackendKind? backend = null) =>
        TryImportPkcs8(pkcs8, out var key, scheme, exportable, backend) ? key : throw Malformed();

    /// <summary>Imports a DER PKCS#8 PrivateKeyInfo, returning <see langword="false"/> for malformed input.</summary>
    /// <param name="pkcs8">The DER encoding; nothing may follow it.</param>
    /// <param name="key">The key, when the method returns <see langword="true"/>.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="exportable">Whether the key may be exported again.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>Whether the input was a valid key.</returns>
    public static bool TryImportPkcs8(ReadOnlySpan<byte> pkcs8, [NotNullWhen(true)] out BlindRsaPrivateKey? key, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, bool exportable = false, RsaBackendKind? backend = null) =>
        TryImport(pkcs8, pkcs8: true, out key, scheme, exportable, backend);

    /// <summary>Imports a DER PKCS#1 RSAPrivateKey.</summary>
    /// <param name="pkcs1">The DER encoding; nothing may follow it.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="exportable">Whether the key may be exported again.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="CryptographicException">The bytes are not a valid RSA private key of 2048 to 8192 bits (for RSAPBSSA, with safe primes).</exception>
    public static BlindRsaPrivateKey ImportPkcs1(ReadOnlySpan<byte> pkcs1, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, bool exportable = false, RsaBackendKind? backend = null) =>
        TryImportPkcs1(pkcs1, out var key, scheme, exportable, backend) ? key : throw Malformed();

    /// <summary>Imports a DER PKCS#1 RSAPrivateKey, returning <see langword="false"/> for malformed input.</summary>
    /// <param name="pkcs1">The DER encoding; nothing may follow it.</param>
    /// <param name="key">The key, when the method returns <see langword="true"/>.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="exportable">Whether the key may be exported again.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>Whether the input was a valid key.</returns>
    public static bool TryImportPkcs1(ReadOnlySpan<byte> pkcs1, [NotNullWhen(true)] out BlindRsaPrivateKey? key, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, bool exportable = false, RsaBackendKind? backend = null) =>
        TryImport(pkcs1, pkcs8: false, out key, scheme, exportable, backend);

    /// <summary>Imports a PEM <c>PRIVATE KEY</c> (PKCS#8) or <c>RSA PRIVATE KEY</c> (PKCS#1) block.</summary>
    /// <param name="pem">Text holding exactly one PEM block; encrypted PEM is not accepted.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="exportable">Whether the key may be exported again.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>The key.</returns>
    /// <exception cref="CryptographicException">The text is not such a key.</exception>
    public static BlindRsaPrivateKey ImportFromPem(ReadOnlySpan<char> pem, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, bool exportable = false, RsaBackendKind? backend = null) =>
        TryImportFromPem(pem, out var key, scheme, exportable, backend) ? key : throw Malformed();

    /// <summary>Imports a PEM private key block, returning <see langword="false"/> for malformed input.</summary>
    /// <param name="pem">Text holding exactly one PEM block.</param>
    /// <param name="key">The key, when the method returns <see langword="true"/>.</param>
    /// <param name="scheme">The scheme the key is to serve.</param>
    /// <param name="exportable">Whether the key may be exported again.</param>
    /// <param name="backend">The backend to use, or <see langword="null"/> for <see cref="RsaBackends.Default"/>.</param>
    /// <returns>Whether the input was a valid key.</returns>
    public static bool TryImportFromPem(ReadOnlySpan<char> pem, [NotNullWhen(true)] out BlindRsaPrivateKey? key, BlindRsaScheme scheme = BlindRsaScheme.Rsabssa, bool exportable = false, RsaBackendKind? backend = null)
    {
        key = null;
        if (!RsaKeyEncoding.TryReadPem(pem, out string label, out byte[] der))
        {
            return false;
        }

        try
        {
            return label switch
            {
                "PRIVATE KEY" => TryImport(der, pkcs8: true, out key, scheme, exportable, backend),
                "RSA PRIVATE KEY" => TryImport(der, pkcs8: false, out key, scheme, exportable, backend),
                _ => false,
            };
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    /// <summary>Exports the key as DER PKCS#8.</summary>
    /// <returns>The encoding; the caller wipes it.</returns>
    /// <exception cref="InvalidOperationException">The key is not exportable.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public byte[] ExportPkcs8() => RsaKeyEncoding.EncodePrivateKey(ExportableMaterial(), pkcs8: true);

    /// <summary>Exports the key as DER PKCS#1.</summary>
    /// <returns>The encoding; the caller wipes it.</returns>
    /// <exception cref="InvalidOperationException">The key is not exportable.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public byte[] ExportPkcs1() => RsaKeyEncoding.EncodePrivateKey(ExportableMaterial(), pkcs8: false);

    /// <summary>Exports the key as a PEM <c>PRIVATE KEY</c> block.</summary>
    /// <returns>The PEM text.</returns>
    /// <exception cref="InvalidOperationException">The key is not exportable.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public string ExportPkcs8Pem() => WritePem("PRIVATE KEY", ExportPkcs8());

    /// <summary>Exports the key as a PEM <c>RSA PRIVATE KEY</c> block.</summary>
    /// <returns>The PEM text.</returns>
    /// <exception cref="InvalidOperationException">The key is not exportable.</exception>
    /// <exception cref="ObjectDisposedException">The key has been disposed.</exception>
    public string ExportPkcs1Pem() => WritePem("RSA PRIVATE KEY", ExportPkcs1());

    /// <summary>Describes the key by its public facts only.</summary>
    /// <returns>A short description.</returns>
    public override string ToString() => $"BlindRsaPrivateKey({Scheme}, {ModulusBits} bits)";

    /// <summary>
    /// Releases the key: native copies are freed (OpenSSL clears them), references to the managed integers are
    /// dropped. Managed big integers are immutable, so their wiping is best effort.
    /// </summary>
    public void Dispose()
    {
        // PublicKey is left alone: verifiers and clients built on it may outlive this key. Its native contexts are
        // freed when it is disposed or collected.
        if (_engines.Release())
        {
            _material.Dispose();
        }
    }

    /// <summary>The engine for d or, for RSAPBSSA, for d' of <paramref name="metadata"/>; dispose it when <paramref name="owned"/>.</summary>
    internal RsaEngine EngineFor(ReadOnlySpan<byte> metadata, out bool owned) =>
        _engines.For(metadata, derived: Scheme == BlindRsaScheme.Rsapbssa, out owned);

    /// <summary>A key from validated material; <paramref name="engineFactory"/> is the fault-injection seam for tests.</summary>
    internal static BlindRsaPrivateKey FromMaterial(RsaKeyMaterial material, BlindRsaScheme scheme, RsaBackendKind? backend, Func<RsaKeyMaterial, RsaEngine>? engineFactory = null) =>
        new(material, scheme, exportable: false, backend, engineFactory);

    private static bool TryImport(ReadOnlySpan<byte> der, bool pkcs8, out BlindRsaPrivateKey? key, BlindRsaScheme scheme, bool exportable, RsaBackendKind? backend)
    {
        key = null;
        BlindRsaPublicKey.CheckScheme(scheme);
        if (!RsaKeyEncoding.TryDecodePrivateKey(der, pkcs8, RsaKeyMaterial.MinimumModulusBits, out var material))
        {
            return false;
        }

        if (scheme == BlindRsaScheme.Rsapbssa && !PartiallyBlindDerivation.HasSafePrimes(material!))
        {
            material!.Dispose();
            return false;
        }

        key = new BlindRsaPrivateKey(material!, scheme, exportable, backend);
        return true;
    }

    private static RsaKeyMaterial GenerateStandard(int modulusBits)
    {
        RSAParameters parameters = default;
        try
        {
            using var rsa = RSA.Create(modulusBits);
            parameters = rsa.ExportParameters(true);
            return RsaKeyMaterial.FromParameters(parameters);
        }
        finally
        {
            RsaKeyMaterial.Wipe(parameters);
        }
    }

    private static RsaKeyMaterial GenerateWithSafePrimes(int modulusBits, RsaBackendKind? backend)
    {
        bool openssl = (backend ?? RsaBackends.Default) == RsaBackendKind.OpenSsl && RsaBackends.IsOpenSslAvailable;
        var e = BigInteger.ValueOf(65537);
        while (true)
        {
            var p = NextSafePrime(modulusBits / 2, openssl);
            var q = NextSafePrime(modulusBits / 2, openssl);
            if (p.Multiply(q).BitLength != modulusBits || p.Equals(q))
            {
                continue;
            }

            return RsaKeyMaterial.CreatePrivate(p, q, e);
        }
    }

    private static BigInteger NextSafePrime(int bits, bool openssl)
    {
        if (openssl)
        {
            byte[] bytes = LibCrypto.GenerateSafePrime(bits);
            try
            {
                return RsaIntegers.FromBytes(bytes);
            }
            finally
            {
                CryptographicOperations.ZeroMemory(bytes);
            }
        }

        // Managed fallback: q' prime with 2q'+1 prime, both top bits set so the product has the full size.
        var random = new Org.BouncyCastle.Security.SecureRandom(); // backed by the OS CSPRNG
        while (true)
        {
            var half = new BigInteger(bits - 1, random).SetBit(bits - 2).SetBit(bits - 3).SetBit(0);
            if (!half.IsProbablePrime(20))
            {
                continue;
            }

            var p = half.ShiftLeft(1).Add(BigInteger.One);
            if (p.IsProbablePrime(80) && half.IsProbablePrime(80))
            {
                return p;
            }
        }
    }

    private RsaKeyMaterial ExportableMaterial()
    {
        _engines.ThrowIfReleased();
        if (!_exportable)
        {
            throw new InvalidOperationException("This key was not created exportable.");
        }

        return _material;
    }

    private static string WritePem(string label, byte[] der)
    {
        try
        {
            return PemEncoding.WriteString(label, der);
        }
        finally
        {
            CryptographicOperations.ZeroMemory(der);
        }
    }

    private static CryptographicException Malformed() =>
        new("Not a valid RSA private key of 2048 to 8192 bits for this scheme.");
}
