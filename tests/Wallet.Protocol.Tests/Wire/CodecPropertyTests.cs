using FsCheck;
using FsCheck.Fluent;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;
using Wallet.Protocol.Mandates;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Withdrawals;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Wire;

/// <summary>
/// The codec properties of docs/PROTOCOL.md section 2, one pattern for every PB/1 message and log entry (the swap
/// messages included): decode(encode(x)) re-encodes to the same bytes; every truncation, an appended byte and an
/// unknown version are refused with <see cref="ProtocolFormatException"/>; any single-byte mutation either is refused
/// or decodes to something that re-encodes to exactly the mutated bytes (one encoding per value); garbage raises
/// nothing but the format error.
/// </summary>
public sealed class CodecPropertyTests
{
    public static TheoryData<string> Codecs => [.. s_codecs.Keys];

    private static readonly Dictionary<string, Codec> s_codecs = new()
    {
        ["keyset-descriptor"] = Message(s => s.Descriptor().Encode(), b => KeysetDescriptor.Decode(b).Encode(), b => KeysetDescriptor.TryDecode(b, out _)),
        ["keyset-announcement"] = Message(s => s.Announcement().Encode(), b => KeysetAnnouncement.Decode(b).Encode(), b => KeysetAnnouncement.TryDecode(b, out _)),
        ["registry"] = Message(s => s.Registry().Encode(), b => AccreditationRegistry.Decode(b).Encode(), b => AccreditationRegistry.TryDecode(b, out _)),
        ["default-allocation-table"] = Message(s => s.DefaultTable().Encode(), b => DefaultAllocationTable.Decode(b).Encode(), b => DefaultAllocationTable.TryDecode(b, out _)),
        ["funds-table"] = Message(s => s.FundsTable().Encode(), b => FundsTable.Decode(b).Encode(), b => FundsTable.TryDecode(b, out _)),
        ["coin"] = Message(s => s.Coin().Encode(), b => Coin.Decode(b).Encode(), b => Coin.TryDecode(b, out _)),
        ["payment-request"] = Message(s => s.Request().Encode(), b => PaymentRequest.Decode(b).Encode(), b => PaymentRequest.TryDecode(b, out _)),
        ["payment-offer"] = Message(s => s.Request().EncodeOffer(), b => PaymentRequest.DecodeOffer(b).EncodeOffer(), b => PaymentRequest.TryDecodeOffer(b, out _)),
        ["payment-details"] = Message(s => s.Request().Details!.Encode(), b => PaymentDetails.Decode(b).Encode(), b => PaymentDetails.TryDecode(b, out _)),
        ["coin-spend"] = Message(s => s.Spend().Encode(), b => CoinSpend.Decode(b).Encode(), b => CoinSpend.TryDecode(b, out _)),
        ["double-spend-proof"] = Message(s => s.Proof().Encode(), b => DoubleSpendProof.Decode(b).Encode(), b => DoubleSpendProof.TryDecode(b, out _)),
        ["spend-receipt"] = Message(s => s.SpendReceipt().Encode(), b => SpendReceipt.Decode(b).Encode(), b => SpendReceipt.TryDecode(b, out _)),
        ["holder-proof"] = Message(s => s.HolderProof().Encode(), b => HolderProof.Decode(b).Encode(), b => HolderProof.TryDecode(b, out _)),
        ["withdrawal-request"] = Message(s => s.Withdrawal().Encode(), b => WithdrawalRequest.Decode(b).Encode(), b => WithdrawalRequest.TryDecode(b, out _)),
        ["withdrawal-response"] = Message(s => s.WithdrawalResponse().Encode(), b => WithdrawalResponse.Decode(b).Encode(), b => WithdrawalResponse.TryDecode(b, out _)),
        ["withdrawal-receipt"] = Message(s => s.WithdrawalResponse().Receipt.Encode(), b => WithdrawalReceipt.Decode(b).Encode(), b => WithdrawalReceipt.TryDecode(b, out _)),
        ["deposit-request"] = Message(s => s.Deposit().Encode(), b => DepositRequest.Decode(b).Encode(), b => DepositRequest.TryDecode(b, out _)),
        ["deposit-receipt"] = Message(s => s.DepositReceipt().Encode(), b => DepositReceipt.Decode(b).Encode(), b => DepositReceipt.TryDecode(b, out _)),
        ["log-entry"] = Message(s => s.LogEntry().Encode(), b => LogEntry.Decode(b).Encode(), b => LogEntry.TryDecode(b, out _)),
        ["ledger-checkpoint"] = Message(s => s.LedgerCheckpoint().Encode(), b => LedgerCheckpointRecord.Decode(b).Encode(), b => LedgerCheckpointRecord.TryDecode(b, out _)),
        ["ledger-checkpoint-log-entry"] = Message(s => LogEntry.ForLedgerCheckpoint(s.LedgerCheckpoint()).Encode(), b => LogEntry.Decode(b).Encode(), b => LogEntry.TryDecode(b, out _)),
        ["payout-statement"] = Message(s => s.PayoutStatement().Encode(), b => Protocol.Payouts.PayoutStatement.Decode(b).Encode(), b => Protocol.Payouts.PayoutStatement.TryDecode(b, out _)),
        ["payouts-log-entry"] = Message(s => LogEntry.ForPayouts(s.PayoutsRecord()).Encode(), b => LogEntry.Decode(b).Encode(), b => LogEntry.TryDecode(b, out _)),
        ["swap-request"] = Swap(s => s.Swap().Encode(), b => SwapRequest.Decode(b).Encode(), b => SwapRequest.TryDecode(b, out _)),
        ["swap-spend"] = Swap(s => s.Spend().Encode(), b => SwapSpend.Decode(b).Encode(), b => SwapSpend.TryDecode(b, out _)),
        ["swap-response"] = Swap(s => s.Response().Encode(), b => SwapResponse.Decode(b).Encode(), b => SwapResponse.TryDecode(b, out _)),
        ["swap-double-spend-proof"] = Swap(s => s.Proof().Encode(), b => SwapDoubleSpendProof.Decode(b).Encode(), b => SwapDoubleSpendProof.TryDecode(b, out _)),
        ["recovery-request"] = Swap(s => s.Recovery().Encode(), b => RecoveryRequest.Decode(b).Encode(), b => RecoveryRequest.TryDecode(b, out _)),
        ["dues-mandate"] = Message(s => s.Mandate().Encode(), b => DuesMandate.Decode(b).Encode(), b => DuesMandate.TryDecode(b, out _)),
        ["paid-up-statement"] = Message(s => s.PaidUp().Encode(), b => PaidUpStatement.Decode(b).Encode(), b => PaidUpStatement.TryDecode(b, out _)),
        ["swap-log-entry"] = Swap(s => s.LogEntry().Encode(), b => LogEntry.Decode(b).Encode(), b => LogEntry.TryDecode(b, out _)),
        ["provider-refund"] = Refund(s => s.Refund().Encode(), b => Protocol.Refunds.ProviderRefund.Decode(b).Encode(), b => Protocol.Refunds.ProviderRefund.TryDecode(b, out _)),
        ["refund-claim-request"] = Refund(s => s.Claim().Encode(), b => Protocol.Refunds.RefundClaimRequest.Decode(b).Encode(), b => Protocol.Refunds.RefundClaimRequest.TryDecode(b, out _)),
        ["refund-claim-response"] = Refund(s => s.Response().Encode(), b => Protocol.Refunds.RefundClaimResponse.Decode(b).Encode(), b => Protocol.Refunds.RefundClaimResponse.TryDecode(b, out _)),
        ["refund-log-entry"] = Refund(s => s.LogEntry().Encode(), b => LogEntry.Decode(b).Encode(), b => LogEntry.TryDecode(b, out _)),
        ["contribution-receipt"] = Message(s => s.ContributionReceipt().Encode(), b => Protocol.Statements.ContributionReceipt.Decode(b).Encode(), b => Protocol.Statements.ContributionReceipt.TryDecode(b, out _)),
        ["statement-request"] = Message(s => s.StatementRequest().Encode(), b => Protocol.Statements.StatementRequest.Decode(b).Encode(), b => Protocol.Statements.StatementRequest.TryDecode(b, out _)),
        ["worker-statement"] = Message(s => s.WorkerStatement().Encode(), b => Protocol.Statements.WorkerStatement.Decode(b).Encode(), b => Protocol.Statements.WorkerStatement.TryDecode(b, out _)),
    };

    [Theory]
    [MemberData(nameof(Codecs))]
    public void EncodingRoundTripsToTheSameBytes(string codec)
    {
        var (samples, sample, roundTrip, _) = s_codecs[codec];
        Check(samples, seed =>
        {
            byte[] encoded = sample(seed);
            return roundTrip(encoded).AsSpan().SequenceEqual(encoded);
        });
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void TruncatedExtendedAndUnknownVersionsAreRefused(string codec)
    {
        var (samples, sample, roundTrip, tryDecode) = s_codecs[codec];
        Check(samples, seed =>
        {
            byte[] encoded = sample(seed);
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
            versioned[0] = (byte)(encoded[0] + 1);
            return !tryDecode([.. encoded, 0]) && Refused(roundTrip, [.. encoded, 0]) && !tryDecode(versioned);
        });
    }

    [Theory]
    [MemberData(nameof(Codecs))]
    public void MutatedBytesAreRefusedOrStillCanonical(string codec)
    {
        var (samples, sample, roundTrip, _) = s_codecs[codec];
        Check(samples, seed =>
        {
            byte[] encoded = sample(seed);
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
        var (samples, _, roundTrip, tryDecode) = s_codecs[codec];
        Check(samples, seed =>
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

    // The swap messages kept the smaller sample count they had in their own property class.
    private static Codec Message(Func<MessageSamples, byte[]> sample, Func<byte[], byte[]> roundTrip, Func<byte[], bool> tryDecode) =>
        new(25, seed => sample(new MessageSamples(seed)), roundTrip, tryDecode);

    private static Codec Swap(Func<SwapSamples, byte[]> sample, Func<byte[], byte[]> roundTrip, Func<byte[], bool> tryDecode) =>
        new(20, seed => sample(new SwapSamples(seed)), roundTrip, tryDecode);

    private static Codec Refund(Func<RefundSamples, byte[]> sample, Func<byte[], byte[]> roundTrip, Func<byte[], bool> tryDecode) =>
        new(20, seed => sample(new RefundSamples(seed)), roundTrip, tryDecode);

    private static void Check(int samples, Func<int, bool> property) =>
        FsCheck.Check.One(Config.QuickThrowOnFailure.WithMaxTest(samples), Prop.ForAll(Gen.Choose(0, int.MaxValue).ToArbitrary(), property));

    /// <summary>One message type: how many random seeds to try, a sample from a seed, decode-then-encode and TryDecode.</summary>
    private sealed record Codec(int Samples, Func<int, byte[]> Sample, Func<byte[], byte[]> RoundTrip, Func<byte[], bool> TryDecode);
}
