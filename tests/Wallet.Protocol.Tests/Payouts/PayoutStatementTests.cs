using Wallet.Crypto.Signing;
using Wallet.Protocol.Payouts;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Payouts;

/// <summary>The provider's payout statement (docs/PROTOCOL.md 5.18): signed by the scheme under its own domain, consistent, and no secret in it.</summary>
public sealed class PayoutStatementTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 31, 17, 0, 0, 999, TimeSpan.Zero);

    [Fact]
    public void SignedStatementVerifiesUnderTheSchemeKeyOnly()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();

        var statement = PayoutStatement.Sign(new AccountId("union-a"), Amount.FromMinorUnits(400), Amount.FromMinorUnits(200), Amount.FromMinorUnits(900), 17, 42, At, scheme);

        Assert.True(statement.Verify(scheme.PublicKey));
        Assert.False(statement.Verify(other.PublicKey));
        Assert.Equal((600L, 200L, 900L, 17UL, 42UL), (statement.PayableBefore.MinorUnits, statement.PayableAfter.MinorUnits, statement.PaidOutTotal.MinorUnits, statement.PayoutId, statement.LogIndex));
        Assert.Equal(At.ToUnixTimeSeconds(), statement.PaidAt.ToUnixTimeSeconds());
        Assert.Equal("PB1/payout-statement", PayoutStatement.Domain.Label);
        Assert.Equal("PayoutStatement(union-a, 400, #17)", statement.ToString());
        Assert.Throws<ArgumentNullException>("schemeKey", () => statement.Verify(null!));

        // Any changed byte of the body breaks the signature or the decoding.
        byte[] bytes = statement.Encode();
        for (int i = 1; i < bytes.Length - 64; i++)
        {
            byte[] tampered = [.. bytes];
            tampered[i] ^= 0x01;
            Assert.False(PayoutStatement.TryDecode(tampered, out var decoded) && decoded.Verify(scheme.PublicKey), $"byte {i}");
        }
    }

    [Fact]
    public void SignRefusesCallerMistakes()
    {
        using var key = Ed25519SigningKey.Generate();
        var provider = new AccountId("union-a");

        Assert.Throws<ArgumentNullException>("provider", () => PayoutStatement.Sign(null!, Amount.FromMinorUnits(1), Amount.Zero, Amount.FromMinorUnits(1), 1, 0, At, key));
        Assert.Throws<ArgumentNullException>("schemeKey", () => PayoutStatement.Sign(provider, Amount.FromMinorUnits(1), Amount.Zero, Amount.FromMinorUnits(1), 1, 0, At, null!));
        Assert.Throws<ArgumentOutOfRangeException>("amount", () => PayoutStatement.Sign(provider, Amount.Zero, Amount.Zero, Amount.FromMinorUnits(1), 1, 0, At, key));
        Assert.Throws<ArgumentOutOfRangeException>("payoutId", () => PayoutStatement.Sign(provider, Amount.FromMinorUnits(1), Amount.Zero, Amount.FromMinorUnits(1), 0, 0, At, key));
        Assert.Throws<ArgumentOutOfRangeException>("paidOutTotal", () => PayoutStatement.Sign(provider, Amount.FromMinorUnits(2), Amount.Zero, Amount.FromMinorUnits(1), 1, 0, At, key));
        Assert.Throws<ArgumentOutOfRangeException>("payableAfter", () => PayoutStatement.Sign(provider, Amount.FromMinorUnits(2), Amount.FromMinorUnits(long.MaxValue - 1), Amount.FromMinorUnits(2), 1, 0, At, key));
        Assert.Equal(long.MaxValue, PayoutStatement.Sign(provider, Amount.FromMinorUnits(1), Amount.FromMinorUnits(long.MaxValue - 1), Amount.FromMinorUnits(1), 1, 0, At, key).PayableBefore.MinorUnits);
    }

    [Theory]
    [InlineData(10, 15, 4, 10, 1, false)]
    [InlineData(10, 15, 5, 9, 1, false)]
    [InlineData(10, 15, 5, 10, 0, false)]
    [InlineData(10, 15, 5, 10, 1, true)]
    public void InconsistentFiguresAreAFormatError(long amount, long before, long after, long total, long id, bool valid)
    {
        var w = new ProtocolWriter();
        w.U8(PayoutStatement.Version);
        w.Ascii("union-a");
        w.I64(amount);
        w.I64(before);
        w.I64(after);
        w.I64(total);
        w.U64((ulong)id);
        w.U64(0);
        w.Time(At);
        w.Fixed(new byte[64]);

        Assert.Equal(valid, PayoutStatement.TryDecode(w.ToArray(), out _));
    }
}
