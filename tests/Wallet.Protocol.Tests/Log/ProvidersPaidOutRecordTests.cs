using Wallet.Protocol.Log;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Log;

/// <summary>The public payout record (log entry kind 13, docs/PROTOCOL.md 5.18): canonical, aggregate per provider, hostile bytes refused.</summary>
public sealed class ProvidersPaidOutRecordTests
{
    private static readonly DateTimeOffset At = new(2026, 3, 31, 17, 0, 0, 250, TimeSpan.Zero);

    [Fact]
    public void CreateSortsByProviderTruncatesToTheSecondAndRoundTrips()
    {
        var record = ProvidersPaidOutRecord.Create(At, [Share("union-b", 30), Share("union-a", 70)]);

        Assert.Equal(["union-a", "union-b"], record.Payouts.Select(p => p.Provider.Value));
        Assert.Equal(At.ToUnixTimeSeconds(), record.PaidAt.ToUnixTimeSeconds());
        Assert.Equal(0, record.PaidAt.Millisecond);
        Assert.Equal(100, record.Total.MinorUnits);
        var decoded = LogEntry.Decode(LogEntry.ForPayouts(record).Encode());
        Assert.Equal(LogEntryKind.ProvidersPaidOut, decoded.Kind);
        Assert.Equal(record.Payouts.AsEnumerable(), decoded.ProvidersPaidOut!.Payouts.AsEnumerable());
        Assert.Equal("ProvidersPaidOut(2 providers, 100)", record.ToString());
    }

    [Fact]
    public void CreateRefusesWhatIsNotCanonical()
    {
        Assert.Throws<ArgumentNullException>("payouts", () => ProvidersPaidOutRecord.Create(At, null!));
        Assert.Throws<ArgumentNullException>("payouts", () => ProvidersPaidOutRecord.Create(At, [null!]));
        Assert.Throws<ArgumentException>("payouts", () => ProvidersPaidOutRecord.Create(At, []));
        Assert.Throws<ArgumentException>("payouts", () => ProvidersPaidOutRecord.Create(At, [Share("a", 0)]));
        Assert.Throws<ArgumentException>("payouts", () => ProvidersPaidOutRecord.Create(At, [Share("a", 1), Share("a", 2)]));
        Assert.Throws<ArgumentException>("payouts", () => ProvidersPaidOutRecord.Create(At, [Share("a", long.MaxValue), Share("b", 1)]));
        Assert.Throws<ArgumentException>("payouts", () => ProvidersPaidOutRecord.Create(At, Enumerable.Range(0, ProvidersPaidOutRecord.MaxProviders + 1).Select(i => Share($"p{i}", 1))));
        Assert.Equal(ProvidersPaidOutRecord.MaxProviders, ProvidersPaidOutRecord.Create(At, Enumerable.Range(0, ProvidersPaidOutRecord.MaxProviders).Select(i => Share($"p{i}", 1))).Payouts.Length);
        Assert.Equal(long.MaxValue, ProvidersPaidOutRecord.Create(At, [Share("a", long.MaxValue - 1), Share("b", 1)]).Total.MinorUnits);
    }

    [Theory]
    [InlineData("empty")]
    [InlineData("descending")]
    [InlineData("repeated")]
    [InlineData("zero")]
    [InlineData("negative")]
    [InlineData("overflow")]
    public void HostileBytesAreATypedDecodeError(string variant)
    {
        (string Provider, long Amount)[] lines = variant switch
        {
            "empty" => [],
            "descending" => [("b", 1), ("a", 1)],
            "repeated" => [("a", 1), ("a", 1)],
            "zero" => [("a", 0)],
            "negative" => [("a", -5)],
            _ => [("a", long.MaxValue), ("b", 1)],
        };
        var w = new ProtocolWriter();
        w.U8(LogEntry.Version);
        w.U8((byte)LogEntryKind.ProvidersPaidOut);
        w.Time(At);
        w.U16(lines.Length);
        foreach (var (provider, amount) in lines)
        {
            w.Ascii(provider);
            w.I64(amount);
        }

        Assert.Throws<ProtocolFormatException>(() => LogEntry.Decode(w.ToArray()));
        Assert.False(LogEntry.TryDecode(w.ToArray(), out _));
    }

    private static ProviderShare Share(string provider, long amount) => new(new AccountId(provider), Amount.FromMinorUnits(amount));
}
