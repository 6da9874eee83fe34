using FsCheck;
using FsCheck.Fluent;
using Wallet.Protocol.Log;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Swaps;

/// <summary>
/// The codec properties of docs/PROTOCOL.md section 2 for the swap messages and the swap log entry: round trip to the
/// same bytes; truncations, an appended byte and version 2 refused; single-byte mutations refused or still canonical;
/// garbage raises nothing but the format error.
/// </summary>
public sealed class SwapCodecPropertyTests
{
    private const int Samples = 20;

    public static TheoryData<string> Codecs => [.. s_codecs.Keys];

    private static readonly Dictionary<string, (Func<SwapSamples, byte[]> Sample, Func<byte[], byte[]> RoundTrip, Func<byte[], bool> TryDecode)> s_codecs = new()
    {
        ["swap-request"] = (s => s.Swap().Encode(), b => SwapRequest.Decode(b).Encode(), b => SwapRequest.TryDecode(b, out _)),
        ["swap-spend"] = (s => s.Spend().Encode(), b => SwapSpend.Decode(b).Encode(), b => SwapSpend.TryDecode(b, out _)),
        ["swap-response"] = (s => s.Response().Encode(), b => SwapResponse.Decode(b).Encode(), b => SwapResponse.TryDecode(b, out _)),
        ["swap-double-spend-proof"] = (s => s.Proof().Encode(), b => SwapDoubleSpendProof.Decode(b).Encode(), b => SwapDoubleSpendProof.TryDecode(b, out _)),
        ["recovery-request"] = (s => s.Recovery().Encode(), b => RecoveryRequest.Decode(b).Encode(), b => RecoveryRequest.TryDecode(b, out _)),
        ["swap-log-entry"] = (s => s.LogEntry().Encode(), b => LogEntry.Decode(b).Encode(), b => LogEntry.TryDecode(b, out _)),
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void EncodingRoundTripsToTheSameBytes(string codec)
    {
        var (sample, roundTrip, _) = s_codecs[codec];
        Check(seed =>
        {
            byte[] encoded = sample(new SwapSamples(seed));
            return roundTrip(encoded).AsSpan().SequenceEqual(encoded);
        });
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void TruncatedExtendedAndUnknownVersionsAreRefused(string codec)
    {
        var (sample, roundTrip, tryDecode) = s_codecs[codec];
        Check(seed =>
        {
            byte[] encoded = sample(new SwapSamples(seed));
            var random = new Random(seed);
            for (int i = 0; i < 12; i++)
            {
                int cut = random.Next(0, encoded.Length);
                if (tryDecode(encoded[..cut]) || !Refused(roundTrip, encoded[..cut]))
                {
                    return false;
                }
            }

            byte[] versioned = (byte[])encoded.Clone();
            versioned[0] = 2;
            return !tryDecode([.. encoded, 0]) && Refused(roundTrip, [.. encoded, 0]) && !tryDecode(versioned);
        });
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void MutatedBytesAreRefusedOrStillCanonical(string codec)
    {
        var (sample, roundTrip, _) = s_codecs[codec];
        Check(seed =>
        {
            byte[] encoded = sample(new SwapSamples(seed));
            var random = new Random(seed);
            for (int i = 0; i < 20; i++)
            {
                byte[] mutated = (byte[])encoded.Clone();
                mutated[random.Next(mutated.Length)] ^= (byte)random.Next(1, 256);
                try
                {
                    if (!roundTrip(mutated).AsSpan().SequenceEqual(mutated))
                    {
                        return false;
                    }
                }
                catch (ProtocolFormatException)
                {
                }
            }

            return true;
        });
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void GarbageNeverThrowsAnythingButTheFormatError(string codec)
    {
        var (_, roundTrip, tryDecode) = s_codecs[codec];
        Check(seed =>
        {
            var random = new Random(seed);
            byte[] garbage = new byte[random.Next(0, 600)];
            random.NextBytes(garbage);
            if (garbage.Length > 0)
            {
                garbage[0] = 1;
            }

            _ = tryDecode(garbage);
            try
            {
                roundTrip(garbage);
            }
            catch (ProtocolFormatException)
            {
            }

            return true;
        });
    }

    private static bool Refused(Func<byte[], byte[]> roundTrip, byte[] bytes)
    {
        try
        {
            roundTrip(bytes);
            return false;
        }
        catch (ProtocolFormatException)
        {
            return true;
        }
    }

    private static void Check(Func<int, bool> property) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(Samples), Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), property));
}
