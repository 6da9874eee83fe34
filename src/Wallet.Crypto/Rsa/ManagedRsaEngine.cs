using Org.BouncyCastle.Math;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// The managed backend: RSA on BouncyCastle big integers, private operations by the CRT with base blinding.
/// </summary>
/// <remarks>
/// Blinding follows the usual construction (the input is multiplied by r^e before exponentiation and the result by
/// r^-1 after), and like OpenSSL's it refreshes the pair (r^e, r^-1) by squaring between uses and draws a fresh
/// r every <see cref="BlindingRefresh"/> uses, so a blinded operation costs two extra multiplications instead of
/// an exponentiation and an inversion.
/// </remarks>
internal sealed class ManagedRsaEngine : RsaEngine
{
    private const int BlindingRefresh = 32;

    private readonly Lock _blindingLock = new();
    private BigInteger? _blind;
    private BigInteger? _unblind;
    private int _blindingUses;

    public ManagedRsaEngine(RsaKeyMaterial key)
        : base(key)
    {
    }

    public override RsaBackendKind Kind => RsaBackendKind.Managed;

    public override bool HasPrivate => Key.HasPrivate;

    public override void Public(ReadOnlySpan<byte> input, Span<byte> output)
    {
        var m = RsaIntegers.FromBytes(input);
        RsaIntegers.ToBytes(m.ModPow(Key.E, Key.N), output);
    }

    public override void Private(ReadOnlySpan<byte> input, Span<byte> output)
    {
        if (!Key.HasPrivate)
        {
            throw new InvalidOperationException("This RSA engine holds only a public key.");
        }

        var c = RsaIntegers.FromBytes(input);
        var (blind, unblind) = NextBlinding();
        var blinded = c.Multiply(blind).Mod(Key.N);
        var m = Crt(blinded).Multiply(unblind).Mod(Key.N);
        RsaIntegers.ToBytes(m, output);
    }

    /// <summary>Unblinded CRT exponentiation (RFC 8017 section 5.1.2, second representation).</summary>
    internal BigInteger Crt(BigInteger c)
    {
        var p = Key.P;
        var q = Key.Q;
        var m1 = c.Remainder(p).ModPow(Key.DP, p);
        var m2 = c.Remainder(q).ModPow(Key.DQ, q);
        var h = m1.Subtract(m2).Multiply(Key.QInv).Mod(p);
        return h.Multiply(q).Add(m2);
    }

    private (BigInteger Blind, BigInteger Unblind) NextBlinding()
    {
        lock (_blindingLock)
        {
            if (_blind is null || _unblind is null || _blindingUses >= BlindingRefresh)
            {
                BigInteger r;
                do
                {
                    r = RsaIntegers.RandomBelow(Key.N);
                }
                while (!RsaIntegers.IsCoprime(r, Key.N));

                _blind = r.ModPow(Key.E, Key.N);
                _unblind = r.ModInverse(Key.N);
                _blindingUses = 0;
            }
            else
            {
                _blind = _blind.Multiply(_blind).Mod(Key.N);
                _unblind = _unblind.Multiply(_unblind).Mod(Key.N);
            }

            _blindingUses++;
            return (_blind, _unblind);
        }
    }

    protected override void Dispose(bool disposing)
    {
        lock (_blindingLock)
        {
            _blind = _unblind = null;
        }
    }
}
