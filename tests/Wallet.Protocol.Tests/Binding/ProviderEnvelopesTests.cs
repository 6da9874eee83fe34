using Wallet.Protocol.Binding;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Wire;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Binding;

public sealed class ProviderEnvelopesTests
{
    public static TheoryData<int> Seeds => [.. Enumerable.Range(1, 6)];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void PaymentStatusRoundTripsCanonically(int seed)
    {
        var samples = new MessageSamples(seed);
        var payment = samples.Request().Id;
        ProviderPaymentState state = (seed % 5) switch
        {
            0 => new(payment, ProviderPaymentStatus.Open, null, null),
            1 => new(payment, ProviderPaymentStatus.Verified, null, null),
            2 => ProviderPaymentState.Paid(payment, samples.SpendReceipt()),
            3 => ProviderPaymentState.Rejected(new DepositPaymentOutcome(payment, DepositPaymentStatus.Rejected, DepositRejectionReason.AmountMismatch, [])),
            _ => ProviderPaymentState.Rejected(new DepositPaymentOutcome(payment, DepositPaymentStatus.DoubleSpend, null, [samples.Proof(), samples.Proof()])),
        };

        byte[] encoded = ProviderEnvelopes.EncodePaymentStatus(state);
        var decoded = ProviderEnvelopes.DecodePaymentStatus(encoded);

        Assert.Equal(encoded, ProviderEnvelopes.EncodePaymentStatus(decoded));
        Assert.Equal(state.Payment, decoded.Payment);
        Assert.Equal(state.Status, decoded.Status);
        Assert.Equal(state.Rejection?.Reason, decoded.Rejection?.Reason);
    }

    [Fact]
    public void UnknownPaymentHasNoEnvelope()
    {
        var unknown = ProviderPaymentState.Unknown(new MessageSamples(7).Request().Id);
        Assert.Throws<ArgumentException>("state", () => ProviderEnvelopes.EncodePaymentStatus(unknown));
    }

    [Fact]
    public void EveryTruncationAndBadFieldIsAFormatError()
    {
        var samples = new MessageSamples(8);
        byte[] paid = ProviderEnvelopes.EncodePaymentStatus(ProviderPaymentState.Paid(samples.Request().Id, samples.SpendReceipt()));
        byte[] rejected = ProviderEnvelopes.EncodePaymentStatus(ProviderPaymentState.Rejected(new DepositPaymentOutcome(samples.Request().Id, DepositPaymentStatus.Rejected, DepositRejectionReason.BadSpendSignature, [])));

        foreach (byte[] valid in new[] { paid, rejected })
        {
            for (int length = 0; length < valid.Length; length++)
            {
                Assert.Throws<ProtocolFormatException>(() => ProviderEnvelopes.DecodePaymentStatus(valid.AsSpan(0, length)));
            }

            Assert.Throws<ProtocolFormatException>(() => ProviderEnvelopes.DecodePaymentStatus([.. valid, 0]));
        }

        int statusAt = 1 + Protocol.Payments.PaymentId.Length;
        foreach (byte bad in new byte[] { 0, 5, 0xFF })
        {
            byte[] tampered = [.. paid];
            tampered[statusAt] = bad;
            Assert.Throws<ProtocolFormatException>(() => ProviderEnvelopes.DecodePaymentStatus(tampered));
        }

        byte[] wrongOutcome = [.. rejected];
        wrongOutcome[statusAt + 1] = (byte)DepositPaymentStatus.Accepted;
        Assert.Throws<ProtocolFormatException>(() => ProviderEnvelopes.DecodePaymentStatus(wrongOutcome));
        byte[] wrongReason = [.. rejected];
        wrongReason[statusAt + 3] = 0xEE;
        Assert.Throws<ProtocolFormatException>(() => ProviderEnvelopes.DecodePaymentStatus(wrongReason));
    }
}
