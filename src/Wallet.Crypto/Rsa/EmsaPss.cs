using Org.BouncyCastle.Crypto.Digests;

namespace Wallet.Crypto.Rsa;

/// <summary>EMSA-PSS encoding and verification with SHA-384 and MGF1-SHA-384.</summary>
/// <remarks>
/// RFC 8017 sections 9.1.1 and 9.1.2, as RFC 9474 section 4.2 step 1 and section 4.5 use them. Encoding (the client's
/// secret-bearing side) hashes with the platform's SHA-384. Verification hashes only public data (message and
/// signature), and there the many short hashes (MGF1 blocks, H) use a per-thread managed SHA-384, which for a block or
/// two measured about twice as fast as a one-shot call into the platform library.
/// </remarks>
internal static class EmsaPss
{
    [ThreadStatic]
    private static Sha384Digest? t_digest;

    /// <summary>SHA-384 output length in bytes (hLen).</summary>
    public const int HashLength = 48;

    /// <summary>EMSA-PSS-ENCODE of <paramref name="message"/> into <paramref name="encoded"/> (emLen bytes).</summary>
    /// <exception cref="CryptographicException">The modulus is too small for the hash and salt ("encoding error").</exception>
    public static void Encode(ReadOnlySpan<byte> message, ReadOnlySpan<byte> salt, int emBits, Span<byte> encoded)
    {
        int emLen = (emBits + 7) / 8;
        if (encoded.Length != emLen || emLen < HashLength + salt.Length + 2)
        {
            throw new CryptographicException("Encoding error: modulus too small for EMSA-PSS with this salt.");
        }

        Span<byte> mHash = stackalloc byte[HashLength];
        SHA384.HashData(message, mHash);

        // H = Hash(0x00 x 8 ‖ mHash ‖ salt)
        Span<byte> h = stackalloc byte[HashLength];
        HashMPrime(mHash, salt, h, publicData: false);

        // DB = PS ‖ 0x01 ‖ salt, masked with MGF1(H); EM = maskedDB ‖ H ‖ 0xbc
        int dbLen = emLen - HashLength - 1;
        Span<byte> db = encoded[..dbLen];
        db.Clear();
        db[dbLen - salt.Length - 1] = 0x01;
        salt.CopyTo(db[(dbLen - salt.Length)..]);
        XorMgf1(h, db, publicData: false);
        CryptographicOperations.ZeroMemory(mHash);
        db[0] &= (byte)(0xFF >> ((8 * emLen) - emBits));
        h.CopyTo(encoded.Slice(dbLen, HashLength));
        encoded[emLen - 1] = 0xBC;
    }

    /// <summary>EMSA-PSS-VERIFY with an exact salt length; returns false for any inconsistency.</summary>
    public static bool Verify(ReadOnlySpan<byte> message, ReadOnlySpan<byte> encoded, int emBits, int saltLength)
    {
        int emLen = (emBits + 7) / 8;
        if (encoded.Length != emLen || emLen < HashLength + saltLength + 2 || encoded[emLen - 1] != 0xBC)
        {
            return false;
        }

        int dbLen = emLen - HashLength - 1;
        byte topMask = (byte)(0xFF >> ((8 * emLen) - emBits));
        if ((encoded[0] & ~topMask) != 0)
        {
            return false;
        }

        ReadOnlySpan<byte> h = encoded.Slice(dbLen, HashLength);
        Span<byte> db = dbLen <= 1024 ? stackalloc byte[dbLen] : new byte[dbLen];
        encoded[..dbLen].CopyTo(db);
        XorMgf1(h, db, publicData: true);
        db[0] &= topMask;

        int psLength = dbLen - saltLength - 1;
        if (db[..psLength].ContainsAnyExcept((byte)0) || db[psLength] != 0x01)
        {
            return false;
        }

        Span<byte> mHash = stackalloc byte[HashLength];
        Hash(message, mHash, publicData: true);
        Span<byte> expected = stackalloc byte[HashLength];
        HashMPrime(mHash, db[(dbLen - saltLength)..], expected, publicData: true);
        return CryptographicOperations.FixedTimeEquals(expected, h);
    }

    // H = Hash(0x00 x 8 ‖ mHash ‖ salt): one buffer and a one-shot hash, cheaper than an incremental hash object.
    private static void HashMPrime(ReadOnlySpan<byte> mHash, ReadOnlySpan<byte> salt, Span<byte> destination, bool publicData)
    {
        Span<byte> mPrime = stackalloc byte[8 + HashLength + salt.Length];
        mPrime[..8].Clear();
        mHash.CopyTo(mPrime[8..]);
        salt.CopyTo(mPrime[(8 + HashLength)..]);
        Hash(mPrime, destination, publicData);
        CryptographicOperations.ZeroMemory(mPrime);
    }

    private static void Hash(ReadOnlySpan<byte> data, Span<byte> destination, bool publicData)
    {
        // Secret-bearing input and long messages go to the platform's SHA-384; short public ones are cheaper without
        // the native call.
        if (!publicData || data.Length > 1024)
        {
            SHA384.HashData(data, destination);
            return;
        }

        var digest = t_digest ??= new Sha384Digest();
        digest.BlockUpdate(data);
        digest.DoFinal(destination);
    }

    // MGF1 (RFC 8017 appendix B.2.1) with SHA-384, XORed into target.
    private static void XorMgf1(ReadOnlySpan<byte> seed, Span<byte> target, bool publicData)
    {
        Span<byte> input = stackalloc byte[seed.Length + 4];
        seed.CopyTo(input);
        Span<byte> block = stackalloc byte[HashLength];
        uint counter = 0;
        for (int offset = 0; offset < target.Length; offset += HashLength, counter++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(input[seed.Length..], counter);
            Hash(input, block, publicData);
            int n = Math.Min(HashLength, target.Length - offset);
            for (int i = 0; i < n; i++)
            {
                target[offset + i] ^= block[i];
            }
        }
    }
}
