using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Binding;

/// <summary>The checks every HTTP envelope must pass: exact round trips, and nothing but the format error on bad bytes.</summary>
internal static class EnvelopeAssert
{
    /// <summary>Each case re-encodes to the same bytes; truncations (every <paramref name="step"/>-th length), a trailing byte and version 2 raise the format error.</summary>
    public static void RoundTripsAndRefusesDamage(IEnumerable<(byte[] Bytes, Func<byte[], byte[]> Reencode)> cases, Func<byte[], int>? step = null)
    {
        foreach (var (bytes, reencode) in cases)
        {
            Assert.Equal(bytes, reencode(bytes));
            for (int length = 0; length < bytes.Length; length += step?.Invoke(bytes) ?? 1)
            {
                Assert.Throws<ProtocolFormatException>(() => reencode(bytes[..length]));
            }

            Assert.Throws<ProtocolFormatException>(() => reencode([.. bytes, 0]));
            byte[] version2 = [.. bytes];
            version2[0] = 2;
            Assert.Throws<ProtocolFormatException>(() => reencode(version2));
        }
    }

    /// <summary>Random bodies (version byte 1, so decoding goes past it) raise nothing but the format error.</summary>
    public static void GarbageRaisesOnlyTheFormatError(IEnumerable<Action<byte[]>> decoders, int seed, int maxLength)
    {
        var random = new Random(seed);
        foreach (var decode in decoders)
        {
            for (int i = 0; i < 300; i++)
            {
                byte[] garbage = new byte[random.Next(0, maxLength)];
                random.NextBytes(garbage);
                if (garbage.Length > 0)
                {
                    garbage[0] = 1;
                }

                try
                {
                    decode(garbage);
                }
                catch (ProtocolFormatException)
                {
                    // the only acceptable failure
                }
            }
        }
    }
}
