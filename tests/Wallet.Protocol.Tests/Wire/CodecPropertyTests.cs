using FsCheck;
using FsCheck.Fluent;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Wire;

/// <summary>
/// For every PB/1 message: decode(encode(x)) re-encodes to the same bytes; every truncation, an appended byte and
/// an unknown version are refused with <see cref="ProtocolFormatException"/>; any single-byte mutation either is
/// refused or decodes to something that re-encodes to exactly the mutated bytes (one encoding per value).
/// </summary>
public sealed class CodecPropertyTests
{
    private const int Samples = 25;

    public static TheoryData<string> Codecs => [.. s_codecs.Keys];

    private static readonly Dictionary<string, (Func<MessageSamples, byte[]> Sample, Func<byte[], byte[]> RoundTrip, Func<byte[], bool> TryDecode)> s_codecs = new()
    {
        ["keyset-descriptor"] = (s => s.Descriptor().Encode(), b => KeysetDescriptor.Decode(b).Encode(), b => KeysetDescriptor.TryDecode(b, out _)),
        ["keyset-announcement"] = (s => s.Announcement().Encode(), b => KeysetAnnouncement.Decode(b).Encode(), b => KeysetAnnouncement.TryDecode(b, out _)),
        ["registry"] = (s => s.Registry().Encode(), b => AccreditationRegistry.Decode(b).Encode(), b => AccreditationRegistry.TryDecode(b, out _)),
        ["default-allocation-table"] = (s => s.DefaultTable().Encode(), b => DefaultAllocationTable.Decode(b).Encode(), b => DefaultAllocationTable.TryDecode(b, out _)),
        ["coin"] = (s => s.Coin().Encode(), b => Coin.Decode(b).Encode(), b => Coin.TryDecode(b, out _)),
        ["payment-request"] = (s => s.Request().Encode(), b => PaymentRequest.Decode(b).Encode(), b => PaymentRequest.TryDecode(b, out _)),
        ["coin-spend"] = (s => s.Spend().Encode(), b => CoinSpend.Decode(b).Encode(), b => CoinSpend.TryDecode(b, out _)),
        ["double-spend-proof"] = (s => s.Proof().Encode(), b => DoubleSpendProof.Decode(b).Encode(), b => DoubleSpendProof.TryDecode(b, out _)),
        ["spend-receipt"] = (s => s.SpendReceipt().Encode(), b => SpendReceipt.Decode(b).Encode(), b => SpendReceipt.TryDecode(b, out _)),
        ["withdrawal-request"] = (s => s.Withdrawal().Encode(), b => WithdrawalRequest.Decode(b).Encode(), b => WithdrawalRequest.TryDecode(b, out _)),
        ["withdrawal-response"] = (s => s.WithdrawalResponse().Encode(), b => WithdrawalResponse.Decode(b).Encode(), b => WithdrawalResponse.TryDecode(b, out _)),
        ["withdrawal-receipt"] = (s => s.WithdrawalResponse().Receipt.Encode(), b => WithdrawalReceipt.Decode(b).Encode(), b => WithdrawalReceipt.TryDecode(b, out _)),
        ["deposit-request"] = (s => s.Deposit().Encode(), b => DepositRequest.Decode(b).Encode(), b => DepositRequest.TryDecode(b, out _)),
        ["deposit-receipt"] = (s => s.DepositReceipt().Encode(), b => DepositReceipt.Decode(b).Encode(), b => DepositReceipt.TryDecode(b, out _)),
        ["log-entry"] = (s => s.LogEntry().Encode(), b => LogEntry.Decode(b).Encode(), b => LogEntry.TryDecode(b, out _)),
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void EncodingRoundTripsToTheSameBytes(string codec)
    {
        var (sample, roundTrip, _) = s_codecs[codec];
        Check(Gen.Choose(0, int.MaxValue), seed =>
        {
            byte[] encoded = sample(new MessageSamples(seed));
            return roundTrip(encoded).AsSpan().SequenceEqual(encoded);
        });
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void TruncatedExtendedAndUnknownVersionsAreRefused(string codec)
    {
        var (sample, roundTrip, tryDecode) = s_codecs[codec];
        Check(Gen.Choose(0, int.MaxValue), seed =>
        {
            byte[] encoded = sample(new MessageSamples(seed));
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
        Check(Gen.Choose(0, int.MaxValue), seed =>
        {
            byte[] encoded = sample(new MessageSamples(seed));
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
        Check(Gen.Choose(0, int.MaxValue), seed =>
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

    private static void Check(Gen<int> seeds, Func<int, bool> property) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(Samples), Prop.ForAll(seeds.ToArbitrary(), property));
}
