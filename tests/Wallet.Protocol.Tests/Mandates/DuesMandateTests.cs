using Wallet.Crypto.Signing;
using Wallet.Protocol.Mandates;

namespace Wallet.Protocol.Tests.Mandates;

public sealed class DuesMandateTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PeriodsCountFromTheStartAndStopBeforeTheEnd()
    {
        using var key = Ed25519SigningKey.Generate();
        var mandate = Sign(key, Start.AddDays(20));

        Assert.Equal(Start, mandate.PeriodStart(0));
        Assert.Equal(Start.AddDays(14), mandate.PeriodStart(2));
        Assert.True(mandate.Covers(2));
        Assert.False(mandate.Covers(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => mandate.PeriodStart(3));
        Assert.Null(mandate.PeriodAt(Start.AddSeconds(-1)));
        Assert.Equal(0u, mandate.PeriodAt(Start));
        Assert.Equal(1u, mandate.PeriodAt(Start.AddDays(7)));
        Assert.Equal(2u, mandate.PeriodAt(Start.AddDays(20).AddSeconds(-1)));
        Assert.Null(mandate.PeriodAt(Start.AddDays(20)));
        Assert.True(Sign(key, null).Covers(1000));
    }

    [Fact]
    public void SignatureAndEncodingBindEveryField()
    {
        using var key = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var mandate = Sign(key, null);
        Assert.True(mandate.Verify(key.PublicKey));
        Assert.False(mandate.Verify(other.PublicKey));
        var decoded = DuesMandate.Decode(mandate.Encode());
        Assert.True(decoded.Verify(key.PublicKey));
        Assert.Equal(mandate.PurposeFor(3), decoded.PurposeFor(3));
        Assert.NotEqual(mandate.PurposeFor(3), mandate.PurposeFor(4));

        byte[] tampered = mandate.Encode();
        tampered[40] ^= 1;
        Assert.False(DuesMandate.TryDecode(tampered, out var changed) && changed.Verify(key.PublicKey));
    }

    [Fact]
    public void InvalidFieldsAreRefusedAndNoSecretIsPrinted()
    {
        using var key = Ed25519SigningKey.Generate();
        var id = MandateId.New();
        var union = new AccountId("union-a");
        var week = TimeSpan.FromDays(7);
        Assert.Throws<ArgumentException>(() => DuesMandate.Sign(id, union, [], Amount.FromMinorUnits(1), "general", week, week, Start, null, key));
        Assert.Throws<ArgumentException>(() => DuesMandate.Sign(id, union, new byte[65], Amount.FromMinorUnits(1), "general", week, week, Start, null, key));
        Assert.Throws<ArgumentOutOfRangeException>(() => DuesMandate.Sign(id, union, [1], Amount.Zero, "general", week, week, Start, null, key));
        Assert.Throws<ArgumentException>(() => DuesMandate.Sign(id, union, [1], Amount.FromMinorUnits(1), "general", TimeSpan.FromMinutes(59), TimeSpan.FromMinutes(1), Start, null, key));
        Assert.Throws<ArgumentException>(() => DuesMandate.Sign(id, union, [1], Amount.FromMinorUnits(1), "general", week, week + TimeSpan.FromSeconds(1), Start, null, key));
        Assert.Throws<ArgumentException>(() => DuesMandate.Sign(id, union, [1], Amount.FromMinorUnits(1), "general", week, week, Start, Start, key));

        var mandate = DuesMandate.Sign(id, union, "member-secret"u8, Amount.FromMinorUnits(1), "general", week, week, Start, null, key);
        var statement = PaidUpStatement.Sign(mandate, 2, Start.AddDays(15), key);
        Assert.DoesNotContain("member-secret", mandate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(id.ToString(), mandate.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString("member-secret"u8), statement.ToString(), StringComparison.OrdinalIgnoreCase);
        Assert.Equal(Start.AddDays(14), statement.PaidUntil);
        Assert.Equal(1u, statement.PaidThrough);
        Assert.Throws<ArgumentOutOfRangeException>(() => PaidUpStatement.Sign(Sign(key, Start.AddDays(7)), 2, Start, key));
    }

    private static DuesMandate Sign(Ed25519SigningKey key, DateTimeOffset? end) =>
        DuesMandate.Sign(MandateId.New(), new AccountId("union-a"), [42], Amount.FromMinorUnits(1500), "general", TimeSpan.FromDays(7), TimeSpan.FromDays(5), Start, end, key);
}
