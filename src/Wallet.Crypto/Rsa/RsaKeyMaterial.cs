using Org.BouncyCastle.Math;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// The integers of an RSA key. Private components are optional (absent for public keys).
/// </summary>
/// <remarks>
/// BouncyCastle big integers are immutable managed objects, so wiping them is best effort: <see cref="Dispose"/>
/// drops the references and the garbage collector reclaims the memory; the byte copies this type hands out are
/// wiped by their users.
/// </remarks>
internal sealed class RsaKeyMaterial : IDisposable
{
    /// <summary>Smallest modulus accepted from callers (RFC 9474 section 8 recommends at least 2048 bits).</summary>
    public const int MinimumModulusBits = 2048;

    /// <summary>Largest modulus accepted.</summary>
    public const int MaximumModulusBits = 8192;

    private BigInteger? _d;
    private BigInteger? _p;
    private BigInteger? _q;
    private BigInteger? _dp;
    private BigInteger? _dq;
    private BigInteger? _qInv;

    private RsaKeyMaterial(BigInteger n, BigInteger e)
    {
        N = n;
        E = e;
        ModulusBits = n.BitLength;
        ModulusLength = (ModulusBits + 7) / 8;
    }

    public BigInteger N { get; }

    public BigInteger E { get; }

    public int ModulusBits { get; }

    public int ModulusLength { get; }

    /// <summary>
    /// Whether this is a private key. Fixed at construction: after <see cref="Dispose"/> a private key still says so,
    /// and its private components throw <see cref="ObjectDisposedException"/>, so nothing built from disposed
    /// material can mistake it for a public key.
    /// </summary>
    public bool HasPrivate { get; private init; }

    public BigInteger D => _d ?? throw new ObjectDisposedException(nameof(RsaKeyMaterial));

    public BigInteger P => _p ?? throw new ObjectDisposedException(nameof(RsaKeyMaterial));

    public BigInteger Q => _q ?? throw new ObjectDisposedException(nameof(RsaKeyMaterial));

    public BigInteger DP => _dp ?? throw new ObjectDisposedException(nameof(RsaKeyMaterial));

    public BigInteger DQ => _dq ?? throw new ObjectDisposedException(nameof(RsaKeyMaterial));

    public BigInteger QInv => _qInv ?? throw new ObjectDisposedException(nameof(RsaKeyMaterial));

    /// <summary>A public key (n, e) after structural checks.</summary>
    /// <exception cref="CryptographicException">The integers are not a usable RSA public key.</exception>
    public static RsaKeyMaterial CreatePublic(BigInteger n, BigInteger e, int minimumBits = MinimumModulusBits)
    {
        CheckPublic(n, e, minimumBits);
        return new RsaKeyMaterial(n, e);
    }

    /// <summary>A private key from its primes, public exponent and private exponent, after consistency checks.</summary>
    /// <exception cref="CryptographicException">The integers are not a consistent RSA private key.</exception>
    public static RsaKeyMaterial CreatePrivate(BigInteger p, BigInteger q, BigInteger e, BigInteger? d = null, int minimumBits = MinimumModulusBits)
    {
        if (p.SignValue <= 0 || q.SignValue <= 0 || p.Equals(q) || !p.TestBit(0) || !q.TestBit(0))
        {
            throw new CryptographicException("RSA private key has invalid primes.");
        }

        if (p.CompareTo(q) < 0)
        {
            (p, q) = (q, p);
        }

        var n = p.Multiply(q);
        CheckPublic(n, e, minimumBits);
        var pMinus1 = p.Subtract(BigInteger.One);
        var qMinus1 = q.Subtract(BigInteger.One);
        var lambda = pMinus1.Divide(pMinus1.Gcd(qMinus1)).Multiply(qMinus1);
        if (!e.Gcd(lambda).Equals(BigInteger.One))
        {
            throw new CryptographicException("RSA public exponent is not invertible for this modulus.");
        }

        // d may be any inverse of e modulo lambda(n) (for example one computed modulo phi(n)); it must be one.
        d ??= e.ModInverse(lambda);
        if (!e.Multiply(d).Mod(lambda).Equals(BigInteger.One))
        {
            throw new CryptographicException("RSA private exponent does not match the public exponent.");
        }

        return new RsaKeyMaterial(n, e)
        {
            HasPrivate = true,
            _d = d,
            _p = p,
            _q = q,
            _dp = d.Mod(pMinus1),
            _dq = d.Mod(qMinus1),
            _qInv = q.ModInverse(p),
        };
    }

    /// <summary>Reads .NET RSA parameters; private parameters are used when present.</summary>
    /// <exception cref="CryptographicException">The parameters are inconsistent.</exception>
    public static RsaKeyMaterial FromParameters(in RSAParameters parameters, int minimumBits = MinimumModulusBits)
    {
        if (parameters.Modulus is null || parameters.Exponent is null)
        {
            throw new CryptographicException("RSA key has no modulus or exponent.");
        }

        var n = RsaIntegers.FromBytes(parameters.Modulus);
        var e = RsaIntegers.FromBytes(parameters.Exponent);
        if (parameters.P is null || parameters.Q is null)
        {
            if (parameters.D is not null)
            {
                throw new CryptographicException("RSA private keys must include their primes.");
            }

            return CreatePublic(n, e, minimumBits);
        }

        var key = CreatePrivate(
            RsaIntegers.FromBytes(parameters.P),
            RsaIntegers.FromBytes(parameters.Q),
            e,
            parameters.D is null ? null : RsaIntegers.FromBytes(parameters.D),
            minimumBits);
        if (!key.N.Equals(n))
        {
            key.Dispose();
            throw new CryptographicException("RSA modulus does not equal the product of the primes.");
        }

        return key;
    }

    /// <summary>The public half.</summary>
    public RsaKeyMaterial ToPublic() => new(N, E);

    /// <summary>.NET RSA parameters, with private components when present; the caller wipes the arrays.</summary>
    public RSAParameters ToParameters(bool includePrivate)
    {
        var parameters = new RSAParameters
        {
            Modulus = RsaIntegers.ToBytes(N, ModulusLength),
            Exponent = E.ToByteArrayUnsigned(),
        };
        if (includePrivate)
        {
            int half = (ModulusLength + 1) / 2;
            parameters.D = RsaIntegers.ToBytes(D, ModulusLength);
            parameters.P = RsaIntegers.ToBytes(P, half);
            parameters.Q = RsaIntegers.ToBytes(Q, half);
            parameters.DP = RsaIntegers.ToBytes(DP, half);
            parameters.DQ = RsaIntegers.ToBytes(DQ, half);
            parameters.InverseQ = RsaIntegers.ToBytes(QInv, half);
        }

        return parameters;
    }

    /// <summary>Wipes the private arrays of <paramref name="parameters"/>.</summary>
    public static void Wipe(in RSAParameters parameters)
    {
        CryptographicOperations.ZeroMemory(parameters.D);
        CryptographicOperations.ZeroMemory(parameters.P);
        CryptographicOperations.ZeroMemory(parameters.Q);
        CryptographicOperations.ZeroMemory(parameters.DP);
        CryptographicOperations.ZeroMemory(parameters.DQ);
        CryptographicOperations.ZeroMemory(parameters.InverseQ);
    }

    public void Dispose()
    {
        _d = _p = _q = _dp = _dq = _qInv = null;
    }

    private static void CheckPublic(BigInteger n, BigInteger e, int minimumBits)
    {
        if (n.SignValue <= 0 || !n.TestBit(0) || n.BitLength < minimumBits || n.BitLength > MaximumModulusBits)
        {
            throw new CryptographicException($"RSA modulus must be odd and of {minimumBits} to {MaximumModulusBits} bits.");
        }

        if (e.CompareTo(BigInteger.Three) < 0 || !e.TestBit(0) || e.CompareTo(n) >= 0)
        {
            throw new CryptographicException("RSA public exponent must be odd, at least 3 and below the modulus.");
        }
    }
}
