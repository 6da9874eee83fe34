using System.Numerics;

namespace Wallet.Crypto.Seeds;

/// <summary>
/// HKDF-SHA256 (RFC 5869, through <see cref="HKDF"/>) derivation of one coin's withdrawal secrets from a wallet
/// seed; the normative description, with test vectors, is <c>docs/derivation.md</c>.
/// </summary>
internal static class CoinDerivation
{
    internal const int PrkLength = 32;
    internal const int MaxKeysetIdLength = ushort.MaxValue;
    internal const int MaxBlindingSamples = 128;

    // RFC 5869 section 3.3 caps one Expand at 255 hash blocks.
    internal const int MaxModulusLength = 255 * 32;

    internal static ReadOnlySpan<byte> ExtractSalt => "WalletCore/PB1/seed/v1"u8;

    internal static ReadOnlySpan<byte> SigningKeySeedLabel => "PB1/coin/ed25519-seed"u8;

    internal static ReadOnlySpan<byte> PssSaltLabel => "PB1/coin/pss-salt"u8;

    internal static ReadOnlySpan<byte> MessagePrefixLabel => "PB1/coin/message-prefix"u8;

    internal static ReadOnlySpan<byte> BlindingKeyLabel => "PB1/coin/blinding-key"u8;

    internal static ReadOnlySpan<byte> BlindingFactorLabel => "PB1/coin/blinding-factor"u8;

    /// <summary>Length of the blinding context that binds r to one key, variant and metadata.</summary>
    internal const int BlindingContextLength = 32;

    /// <summary>PRK = HKDF-Extract(salt = "WalletCore/PB1/seed/v1", IKM = seed).</summary>
    internal static void Extract(ReadOnlySpan<byte> seed, Span<byte> prk) =>
        HKDF.Extract(HashAlgorithmName.SHA256, seed, ExtractSalt, prk);

    /// <summary>Expands <c>u8(len(label)) ‖ label ‖ u16be(len(keysetId)) ‖ keysetId ‖ u64be(counter)</c>.</summary>
    internal static void ExpandCoinValue(ReadOnlySpan<byte> prk, ReadOnlySpan<byte> label, ReadOnlySpan<byte> keysetId, ulong counter, Span<byte> output)
    {
        int length = 1 + label.Length + 2 + keysetId.Length + 8;
        Span<byte> info = length <= 256 ? stackalloc byte[length] : new byte[length];
        info[0] = (byte)label.Length;
        label.CopyTo(info[1..]);
        int at = 1 + label.Length;
        BinaryPrimitives.WriteUInt16BigEndian(info[at..], (ushort)keysetId.Length);
        keysetId.CopyTo(info[(at + 2)..]);
        BinaryPrimitives.WriteUInt64BigEndian(info[(at + 2 + keysetId.Length)..], counter);
        HKDF.Expand(HashAlgorithmName.SHA256, prk, output, info);
    }

    /// <summary>
    /// Writes a candidate blinding factor, uniform in [1, n), into <paramref name="destination"/> (big-endian,
    /// as long as <paramref name="modulus"/>).
    /// </summary>
    internal static void DeriveBlindingFactor(ReadOnlySpan<byte> blindingKey, ReadOnlySpan<byte> context, ReadOnlySpan<byte> modulus, uint attempt, Span<byte> destination)
    {
        int leadingZeros = modulus.IndexOfAnyExcept((byte)0);
        ReadOnlySpan<byte> n = modulus[leadingZeros..];
        destination[..leadingZeros].Clear();
        Span<byte> candidate = destination[leadingZeros..];
        byte mask = (byte)(0xFF >> (BitOperations.LeadingZeroCount((uint)n[0]) - 24));

        Span<byte> info = stackalloc byte[1 + BlindingFactorLabel.Length + BlindingContextLength + 4 + 4 + 2];
        info[0] = (byte)BlindingFactorLabel.Length;
        BlindingFactorLabel.CopyTo(info[1..]);
        context.CopyTo(info[(1 + BlindingFactorLabel.Length)..]);
        int at = 1 + BlindingFactorLabel.Length + BlindingContextLength;
        BinaryPrimitives.WriteUInt32BigEndian(info[at..], attempt);
        BinaryPrimitives.WriteUInt16BigEndian(info[(at + 8)..], (ushort)n.Length);
        for (uint sample = 0; sample < MaxBlindingSamples; sample++)
        {
            BinaryPrimitives.WriteUInt32BigEndian(info[(at + 4)..], sample);
            HKDF.Expand(HashAlgorithmName.SHA256, blindingKey, candidate, info);
            candidate[0] &= mask;

            // Rejection sampling (uniform over [1, n)); which sample is accepted depends only on the candidate.
            if (candidate.IndexOfAnyExcept((byte)0) >= 0 && candidate.SequenceCompareTo(n) < 0)
            {
                return;
            }
        }

        CryptographicOperations.ZeroMemory(destination);
        throw new CryptographicException("No blinding factor candidate below the modulus was found.");
    }
}
