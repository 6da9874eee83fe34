using System.Text;
using Org.BouncyCastle.Math;

namespace Wallet.Crypto.BlindRsa;

/// <summary>Metadata-derived keys of partially blind RSA (draft-irtf-cfrg-partially-blind-rsa, DerivePublicKey and DeriveKeyPair).</summary>
internal static class PartiallyBlindDerivation
{
    private static readonly byte[] s_keyLabel = Encoding.ASCII.GetBytes("key");
    private static readonly byte[] s_hkdfInfo = Encoding.ASCII.GetBytes("PBRSA");
    private static readonly byte[] s_messageLabel = Encoding.ASCII.GetBytes("msg");

    /// <summary>DerivePublicKey: the metadata-specific public exponent e'.</summary>
    public static BigInteger DerivePublicExponent(RsaKeyMaterial key, ReadOnlySpan<byte> metadata)
    {
        // hkdf_input = "key" ‖ info ‖ 0x00; hkdf_salt = I2OSP(n, k); L = k/2 + 16; keep the first k/2 bytes with the
        // top two bits cleared and the bottom bit set, so e' is odd and below the safe primes' halves.
        byte[] input = new byte[s_keyLabel.Length + metadata.Length + 1];
        s_keyLabel.CopyTo(input, 0);
        metadata.CopyTo(input.AsSpan(s_keyLabel.Length));
        byte[] salt = RsaIntegers.ToBytes(key.N, key.ModulusLength);
        int lambdaLength = key.ModulusLength / 2;
        byte[] expanded = HKDF.DeriveKey(HashAlgorithmName.SHA384, input, lambdaLength + 16, salt, s_hkdfInfo);
        expanded[0] &= 0x3F;
        expanded[lambdaLength - 1] |= 0x01;
        return RsaIntegers.FromBytes(expanded.AsSpan(0, lambdaLength));
    }

    /// <summary>DerivePublicKey: (n, e').</summary>
    public static RsaKeyMaterial DerivePublicKey(RsaKeyMaterial key, ReadOnlySpan<byte> metadata) =>
        RsaKeyMaterial.CreatePublic(key.N, DerivePublicExponent(key, metadata), minimumBits: key.ModulusBits);

    /// <summary>DeriveKeyPair: (n, e', d') with d' = e'^-1 mod phi(n).</summary>
    public static RsaKeyMaterial DeriveKeyPair(RsaKeyMaterial key, ReadOnlySpan<byte> metadata)
    {
        var e = DerivePublicExponent(key, metadata);
        var phi = key.P.Subtract(BigInteger.One).Multiply(key.Q.Subtract(BigInteger.One));
        if (!e.Gcd(phi).Equals(BigInteger.One))
        {
            // Cannot happen with safe primes (e' is odd and below both halves); keys are checked for them on import.
            throw new CryptographicException("The derived exponent is not invertible: the key does not have safe primes.");
        }

        return RsaKeyMaterial.CreatePrivate(key.P, key.Q, e, e.ModInverse(phi), minimumBits: key.ModulusBits);
    }

    /// <summary>The message that is actually encoded and signed: "msg" ‖ I2OSP(len(info), 4) ‖ info ‖ msg.</summary>
    public static byte[] FrameMessage(ReadOnlySpan<byte> metadata, ReadOnlySpan<byte> message)
    {
        byte[] framed = new byte[s_messageLabel.Length + 4 + metadata.Length + message.Length];
        s_messageLabel.CopyTo(framed, 0);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(framed.AsSpan(s_messageLabel.Length), (uint)metadata.Length);
        metadata.CopyTo(framed.AsSpan(s_messageLabel.Length + 4));
        message.CopyTo(framed.AsSpan(s_messageLabel.Length + 4 + metadata.Length));
        return framed;
    }

    /// <summary>Whether p and q are safe primes, as partially blind RSA requires.</summary>
    public static bool HasSafePrimes(RsaKeyMaterial key) => IsSafePrime(key.P) && IsSafePrime(key.Q);

    private static bool IsSafePrime(BigInteger p) =>
        p.IsProbablePrime(80) && p.ShiftRight(1).IsProbablePrime(80);
}
