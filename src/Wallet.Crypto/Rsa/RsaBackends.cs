using Org.BouncyCastle.Math;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// Chooses the implementation of raw RSA operations. At first use the OpenSSL backend is self-tested against the
/// managed one; it becomes the default only if the test passes. Set the environment variable
/// <c>WALLETCORE_RSA_BACKEND</c> to <c>managed</c> to force the managed backend, or pass a backend explicitly when
/// creating a key.
/// </summary>
public static class RsaBackends
{
    /// <summary>The environment variable read at start-up: <c>managed</c>, <c>openssl</c> or <c>auto</c> (the default).</summary>
    public const string EnvironmentVariable = "WALLETCORE_RSA_BACKEND";

    private static readonly Lazy<(bool Ok, string? Reason)> s_openSslSelfTest = new(RunOpenSslSelfTest);
    private static readonly Lazy<RsaBackendKind> s_default = new(() => ChooseDefault(Environment.GetEnvironmentVariable(EnvironmentVariable)));

    /// <summary>The backend new keys use when none is named: OpenSSL if its self-test passed and it is not disabled.</summary>
    /// <exception cref="InvalidOperationException"><c>WALLETCORE_RSA_BACKEND</c> demands OpenSSL but its self-test failed, or names an unknown backend.</exception>
    public static RsaBackendKind Default => s_default.Value;

    /// <summary>Whether the OpenSSL backend loaded and passed its self-test in this process.</summary>
    public static bool IsOpenSslAvailable => s_openSslSelfTest.Value.Ok;

    /// <summary>Why the OpenSSL backend is unavailable, or <see langword="null"/> when it is available.</summary>
    public static string? OpenSslUnavailableReason => s_openSslSelfTest.Value.Reason;

    /// <summary>
    /// Creates the engine for a key on the requested backend, falling back to managed if OpenSSL refuses it. On OpenSSL a
    /// public key borrows the one checked engine of its (n, e) from <see cref="SharedPublicEngines"/>.
    /// </summary>
    internal static RsaEngine CreateEngine(RsaKeyMaterial key, RsaBackendKind? requested)
    {
        RsaBackendKind kind = requested ?? Default;
        if (kind == RsaBackendKind.OpenSsl && IsOpenSslAvailable)
        {
            if (SharedPublicEngines.TryLend(key, PassesKeyCheck) is { } loan)
            {
                return loan;
            }

            var engine = OpenSslRsaEngine.TryCreate(key, out _);
            if (engine is not null && PassesKeyCheck(engine))
            {
                return engine;
            }

            engine?.Dispose();
        }

        return new ManagedRsaEngine(key);
    }

    // A per-key check that OpenSSL computes this key's operations correctly (it would not, for example, if it
    // silently ignored an unusual exponent): public ∘ private must be the identity, compared with the managed result.
    private static bool PassesKeyCheck(RsaEngine engine)
    {
        var key = engine.Key;
        Span<byte> x = stackalloc byte[key.ModulusLength];
        Span<byte> y = stackalloc byte[key.ModulusLength];
        Span<byte> z = stackalloc byte[key.ModulusLength];
        RsaIntegers.ToBytes(RsaIntegers.RandomBelow(key.N), x);
        try
        {
            engine.Public(x, y);
            if (!RsaIntegers.FromBytes(y).Equals(RsaIntegers.FromBytes(x).ModPow(key.E, key.N)))
            {
                return false;
            }

            if (engine.HasPrivate)
            {
                engine.Private(y, z);
                return z.SequenceEqual(x);
            }

            return true;
        }
        catch (CryptographicException)
        {
            return false;
        }
    }

    /// <summary>Maps the environment setting to a backend.</summary>
    internal static RsaBackendKind ChooseDefault(string? setting)
    {
        switch (setting?.Trim().ToLowerInvariant())
        {
            case "managed":
                return RsaBackendKind.Managed;
            case "openssl":
                return IsOpenSslAvailable
                    ? RsaBackendKind.OpenSsl
                    : throw new InvalidOperationException($"{EnvironmentVariable}=openssl but the OpenSSL backend is unavailable: {OpenSslUnavailableReason}");
            case null or "" or "auto":
                return IsOpenSslAvailable ? RsaBackendKind.OpenSsl : RsaBackendKind.Managed;
            default:
                throw new InvalidOperationException($"{EnvironmentVariable} must be 'managed', 'openssl' or 'auto'.");
        }
    }

    // Start-up self-test: a fresh 1024-bit key (test only; never used for signing), a random input, and the
    // OpenSSL results compared with the managed ones for both directions.
    private static (bool, string?) RunOpenSslSelfTest()
    {
        if (!LibCrypto.IsLoaded)
        {
            return (false, LibCrypto.LoadError);
        }

        try
        {
            RSAParameters parameters;
            using (var rsa = RSA.Create(1024))
            {
                parameters = rsa.ExportParameters(true);
            }

            using var key = RsaKeyMaterial.FromParameters(parameters, minimumBits: 1024);
            RsaKeyMaterial.Wipe(parameters);
            using var managed = new ManagedRsaEngine(key);
            using var openssl = OpenSslRsaEngine.TryCreate(key, out string? failure);
            if (openssl is null)
            {
                return (false, failure);
            }

            var x = new byte[key.ModulusLength];
            var a = new byte[key.ModulusLength];
            var b = new byte[key.ModulusLength];
            RsaIntegers.ToBytes(RsaIntegers.RandomBelow(key.N), x);
            managed.Private(x, a);
            openssl.Private(x, b);
            if (!a.AsSpan().SequenceEqual(b))
            {
                return (false, "OpenSSL private operation disagrees with the managed result");
            }

            managed.Public(a, x);
            openssl.Public(b, a);
            if (!a.AsSpan().SequenceEqual(x) || RsaIntegers.FromBytes(a).Equals(BigInteger.Zero))
            {
                return (false, "OpenSSL public operation disagrees with the managed result");
            }

            return (true, null);
        }
        catch (CryptographicException ex)
        {
            return (false, "self-test failed: " + ex.Message);
        }
    }
}
