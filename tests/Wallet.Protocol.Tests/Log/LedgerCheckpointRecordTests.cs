using Wallet.Crypto.Signing;
using Wallet.Protocol.Log;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Log;

/// <summary>The ledger checkpoint record of docs/PROTOCOL.md 5.15: its canonical form, signature and strict decoding.</summary>
public sealed class LedgerCheckpointRecordTests
{
    private static readonly KeysetId KeysetA = new(Enumerable.Repeat((byte)0xA1, 32).ToArray());
    private static readonly KeysetId KeysetB = new(Enumerable.Repeat((byte)0x0B, 32).ToArray());

    [Fact]
    public void TotalKindsAreTheLedgersAccountKindsByCode()
    {
        Assert.Equal(
            Enum.GetValues<Wallet.Protocol.Ledger.LedgerAccountKind>().Select(k => ((byte)k, k.ToString())),
            Enum.GetValues<LedgerTotalKind>().Select(k => ((byte)k, k.ToString())));
    }

    [Fact]
    public void SignLeavesOutZerosSortsAndTruncatesTheTimeToTheMinute()
    {
        using var key = Key("scheme");
        var record = Sample(key);

        Assert.Equal(new DateTimeOffset(2026, 1, 5, 9, 0, 0, TimeSpan.Zero), record.TakenAt);
        Assert.Equal([(LedgerTotalKind.ContributionSource, -1000L), (LedgerTotalKind.Worker, 700L), (LedgerTotalKind.Outstanding, 300L)], record.Totals.ToArray());
        Assert.Equal([(KeysetB, Amount.FromMinorUnits(100)), (KeysetA, Amount.FromMinorUnits(200))], record.Keysets.ToArray());
        Assert.Equal([("general", Amount.FromMinorUnits(300))], record.Funds.ToArray());
        Assert.Equal(0, record.TotalOf(LedgerTotalKind.Expired));
        Assert.Equal(Enumerable.Repeat((byte)7, 32).ToArray(), record.JournalHeadHash.ToArray());
    }

    [Fact]
    public void EncodingRoundTripsAloneAndInsideALogEntryAndTheSignatureVerifies()
    {
        using var key = Key("scheme");
        using var other = Key("other");
        var record = Sample(key);

        var decoded = LedgerCheckpointRecord.Decode(record.Encode());
        var entry = LogEntry.Decode(LogEntry.ForLedgerCheckpoint(record).Encode());

        Assert.Equal(record.Encode(), decoded.Encode());
        Assert.Equal(LogEntryKind.LedgerCheckpoint, entry.Kind);
        Assert.Equal(record.Encode(), entry.LedgerCheckpoint!.Encode());
        Assert.True(decoded.Verify(key.PublicKey));
        Assert.False(decoded.Verify(other.PublicKey));
        Assert.Equal("PB1/ledger-checkpoint", LedgerCheckpointRecord.Domain.Label);
    }

    [Fact]
    public void SignRefusesCallerMistakes()
    {
        using var key = Key("scheme");
        byte[] hash = new byte[32];
        Assert.Throws<ArgumentOutOfRangeException>("sequence", () => LedgerCheckpointRecord.Sign(0, DateTimeOffset.UnixEpoch, 0, 0, hash, [], [], [], key));
        Assert.Throws<ArgumentException>("journalHeadHash", () => LedgerCheckpointRecord.Sign(1, DateTimeOffset.UnixEpoch, 0, 0, new byte[31], [], [], [], key));
        Assert.Throws<ArgumentException>("totals", () => LedgerCheckpointRecord.Sign(1, DateTimeOffset.UnixEpoch, 0, 0, hash, [(LedgerTotalKind.Worker, 1), (LedgerTotalKind.Worker, 2)], [], [], key));
        Assert.Throws<ArgumentException>("keysets", () => LedgerCheckpointRecord.Sign(1, DateTimeOffset.UnixEpoch, 0, 0, hash, [], [(KeysetA, Amount.FromMinorUnits(1)), (KeysetA, Amount.FromMinorUnits(2))], [], key));
        Assert.Throws<ArgumentException>("funds", () => LedgerCheckpointRecord.Sign(1, DateTimeOffset.UnixEpoch, 0, 0, hash, [], [], [("has space", Amount.FromMinorUnits(1))], key));
    }

    [Theory]
    [InlineData("sequence zero")]
    [InlineData("time not a whole minute")]
    [InlineData("zero total")]
    [InlineData("kind zero")]
    [InlineData("totals not ascending")]
    [InlineData("keysets not ascending")]
    [InlineData("zero outstanding")]
    [InlineData("trailing byte")]
    [InlineData("truncated")]
    public void MalformedEncodingsAreRefusedWithTheFormatError(string how)
    {
        using var key = Key("scheme");
        byte[] bytes = Sample(key).Encode();
        // Layout: version(1) sequence(8) taken_at(8) log_size(8) journal_entries(8) head(32), then the totals list
        // (u16 count, (u8 kind, i64 balance) each), the keysets list (u16, (32, i64) each), the funds list.
        const int totals = 1 + 8 + 8 + 8 + 8 + 32;
        const int keysets = totals + 2 + (3 * 9);
        bytes = how switch
        {
            "sequence zero" => Patch(bytes, 1, new byte[8]),
            "time not a whole minute" => Patch(bytes, 16, [(byte)(bytes[16] + 1)]),
            "zero total" => Patch(bytes, totals + 3, new byte[8]),
            "kind zero" => Patch(bytes, totals + 2, [0]),
            "totals not ascending" => Patch(bytes, totals + 2 + 9, [1]),
            "keysets not ascending" => Patch(bytes, keysets + 2, Enumerable.Repeat((byte)0xFF, 32).ToArray()),
            "zero outstanding" => Patch(bytes, keysets + 2 + 32, new byte[8]),
            "trailing byte" => [.. bytes, 0],
            _ => bytes[..^1],
        };

        Assert.Throws<ProtocolFormatException>(() => LedgerCheckpointRecord.Decode(bytes));
        Assert.False(LedgerCheckpointRecord.TryDecode(bytes, out _));
        Assert.False(LogEntry.TryDecode([1, (byte)LogEntryKind.LedgerCheckpoint, .. bytes], out _));
    }

    private static byte[] Patch(byte[] bytes, int at, byte[] with)
    {
        byte[] copy = [.. bytes];
        with.CopyTo(copy, at);
        return copy;
    }

    private static Ed25519SigningKey Key(string name) =>
        Ed25519SigningKey.FromSeed(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(name)));

    private static LedgerCheckpointRecord Sample(Ed25519SigningKey key) => LedgerCheckpointRecord.Sign(
        3,
        new DateTimeOffset(2026, 1, 5, 9, 0, 59, TimeSpan.Zero),
        42,
        17,
        Enumerable.Repeat((byte)7, 32).ToArray(),
        [(LedgerTotalKind.Outstanding, 300), (LedgerTotalKind.Expired, 0), (LedgerTotalKind.ContributionSource, -1000), (LedgerTotalKind.Worker, 700)],
        [(KeysetA, Amount.FromMinorUnits(200)), (KeysetB, Amount.FromMinorUnits(100))],
        [("general", Amount.FromMinorUnits(300)), ("training", Amount.Zero)],
        key);
}
