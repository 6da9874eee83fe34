using NetInteger = System.Numerics.BigInteger;

namespace Wallet.Crypto.Rsa;

/// <summary>
/// The managed backend: RSA on BouncyCastle big integers, private operations by the CRT with base blinding.
/// </summary>
/// <remarks>
/// Blinding follows the usual construction (the input is multiplied by r^e before exponentiation and the result by
/// r^-1 after), and like OpenSSL's it refreshes the pair (r^e, r^-1) by squaring between uses and draws a fresh
/// r every <see cref="BlindingRefresh"/> uses, so a blinded operation costs a few multiplications instead of an
/// exponentiation and an inversion. The two half-size exponentiations use BouncyCastle; products and remainders use
/// .NET's integers, which are much faster at them.
/// </remarks>
internal sealed class ManagedRsaEngine : RsaEngine
{
    private const int BlindingRefresh = 32;

    private readonly Lock _blindingLock = new();
    private readonly NetInteger _n;
    private readonly NetInteger _p;
    private readonly NetInteger _q;
    private readonly NetInteger _qInv;
    private NetInteger _blind;
    private NetInteger _unblind;
    private int _blindingUses = BlindingRefresh;

    public ManagedRsaEngine(RsaKeyMaterial key)
        : base(key)
    {
        _n = RsaIntegers.ToNet(key.N);
        if (key.HasPrivate)
        {
            _p = RsaIntegers.ToNet(key.P);
            _q = RsaIntegers.ToNet(key.Q);
            _qInv = RsaIntegers.ToNet(key.QInv);
        }
    }

    public override RsaBackendKind Kind => RsaBackendKind.Managed;

    public override void Public(ReadOnlySpan<byte> input, Span<byte> output)
    {
        ObjectDisposedException.ThrowIf(IsDisposed, this);
        var m = RsaIntegers.FromBytes(input);
        RsaIntegers.ToBytes(m.ModPow(Key.E, Key.N), output);
    }

    public override void Private(ReadOnlySpan<byte> input, Span<byte> output)
    {
        CheckPrivate();

        var (blind, unblind) = NextBlinding();
        var blinded = RsaIntegers.NetFromBytes(input) * blind % _n;
        var m = Crt(blinded) * unblind % _n;
        RsaIntegers.ToBytes(m, output);
    }

    /// <summary>Unblinded CRT exponentiation (RFC 8017 section 5.1.2, second representation).</summary>
    private NetInteger Crt(NetInteger c)
    {
        var m1 = RsaIntegers.ToNet(RsaIntegers.FromNet(c % _p).ModPow(Key.DP, Key.P));
        var m2 = RsaIntegers.ToNet(RsaIntegers.FromNet(c % _q).ModPow(Key.DQ, Key.Q));
        var h = (m1 - m2) * _qInv % _p;
        if (h.Sign < 0)
        {
            h += _p;
        }

        return (h * _q) + m2;
    }

    private (NetInteger Blind, NetInteger Unblind) NextBlinding()
    {
        lock (_blindingLock)
        {
            if (_blindingUses >= BlindingRefresh)
            {
                NetInteger? inverse;
                NetInteger r;
                do
                {
                    r = RsaIntegers.ToNet(RsaIntegers.RandomBelow(Key.N));
                    inverse = RsaIntegers.ModInverse(r, _n);
                }
                while (inverse is null);

                _blind = NetInteger.ModPow(r, RsaIntegers.ToNet(Key.E), _n);
                _unblind = inverse.Value;
                _blindingUses = 0;
            }
            else
            {
                _blind = _blind * _blind % _n;
                _unblind = _unblind * _unblind % _n;
            }

            _blindingUses++;
            return (_blind, _unblind);
        }
    }

    protected override void Dispose(bool disposing)
    {
        lock (_blindingLock)
        {
            _blind = _unblind = NetInteger.Zero;
            _blindingUses = BlindingRefresh;
        }
    }
}
