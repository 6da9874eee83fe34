using Wallet.Crypto.Signing;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Payouts;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Binding;

/// <summary>The payout call's envelopes (docs/PROTOCOL.md 5.18): exact round trips, and hostile bodies refused with the format error only.</summary>
public sealed class PayoutEnvelopesTests
{
    [Fact]
    public void PayoutEnvelopesRoundTripAndRefuseEveryTruncation()
    {
        using var key = Ed25519SigningKey.Generate();
        var statement = PayoutStatement.Sign(new AccountId("union-a"), Amount.FromMinorUnits(400), Amount.FromMinorUnits(200), Amount.FromMinorUnits(900), 17, 42, DateTimeOffset.FromUnixTimeSeconds(1_767_225_600), key);

        EnvelopeAssert.RoundTripsAndRefusesDamage(
        [
            (OperatorEnvelopes.EncodePayout(new IdempotencyKey("po-1"), new AccountId("union-a"), Amount.FromMinorUnits(400)), b => Reencode(OperatorEnvelopes.DecodePayout(b))),
            (OperatorEnvelopes.EncodePayoutResult(new PayoutResult(PayoutStatus.Paid, statement, true)), b => OperatorEnvelopes.EncodePayoutResult(OperatorEnvelopes.DecodePayoutResult(b))),
            (OperatorEnvelopes.EncodePayoutResult(new PayoutResult(PayoutStatus.InsufficientPayable, null, false)), b => OperatorEnvelopes.EncodePayoutResult(OperatorEnvelopes.DecodePayoutResult(b))),
        ]);

        var decoded = OperatorEnvelopes.DecodePayoutResult(OperatorEnvelopes.EncodePayoutResult(new PayoutResult(PayoutStatus.Paid, statement, true)));
        Assert.Equal((PayoutStatus.Paid, true), (decoded.Status, decoded.IsReplay));
        Assert.True(decoded.Statement!.Verify(key.PublicKey));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(long.MinValue)]
    public void ZeroOrNegativeAmountsAreAFormatError(long amount)
    {
        var w = new ProtocolWriter();
        w.U8(1);
        w.Ascii("po-1");
        w.Ascii("union-a");
        w.I64(amount);

        Assert.Throws<ProtocolFormatException>(() => OperatorEnvelopes.DecodePayout(w.ToArray()));
    }

    [Fact]
    public void AStatementWithoutThePaidStatusOrAPaidStatusWithoutOneIsAFormatError()
    {
        using var key = Ed25519SigningKey.Generate();
        byte[] statement = PayoutStatement.Sign(new AccountId("union-a"), Amount.FromMinorUnits(1), Amount.Zero, Amount.FromMinorUnits(1), 1, 0, DateTimeOffset.UnixEpoch, key).Encode();

        Assert.Throws<ProtocolFormatException>(() => OperatorEnvelopes.DecodePayoutResult(Result(PayoutStatus.Paid, null)));
        Assert.Throws<ProtocolFormatException>(() => OperatorEnvelopes.DecodePayoutResult(Result(PayoutStatus.InsufficientPayable, statement)));
        Assert.Throws<ProtocolFormatException>(() => OperatorEnvelopes.DecodePayoutResult(Result((PayoutStatus)9, null)));
        Assert.Equal(PayoutStatus.UnknownProvider, OperatorEnvelopes.DecodePayoutResult(Result(PayoutStatus.UnknownProvider, null)).Status);

        static byte[] Result(PayoutStatus status, byte[]? statement)
        {
            var w = new ProtocolWriter();
            w.U8(1);
            w.U8((byte)status);
            w.Flag(false);
            w.Flag(statement is not null);
            if (statement is not null)
            {
                w.Opaque32(statement);
            }

            return w.ToArray();
        }
    }

    [Fact]
    public void GarbageRaisesOnlyTheFormatError() =>
        EnvelopeAssert.GarbageRaisesOnlyTheFormatError([b => OperatorEnvelopes.DecodePayout(b), b => OperatorEnvelopes.DecodePayoutResult(b)], seed: 1805, maxLength: 200);

    private static byte[] Reencode((IdempotencyKey Key, AccountId Provider, Amount Amount) payout) => OperatorEnvelopes.EncodePayout(payout.Key, payout.Provider, payout.Amount);
}
