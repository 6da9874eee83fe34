using Wallet.Crypto.Merkle;
using Wallet.Protocol.Log;
using Wallet.Protocol.Tests.Wire;
using Wallet.Protocol.Wire;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Log;

/// <summary>The public log's entries, one kind at a time, and the records they carry.</summary>
public sealed class LogEntryTests
{
    private static readonly DateTimeOffset s_at = new(2026, 4, 1, 12, 0, 0, 250, TimeSpan.Zero);

    public static TheoryData<LogEntryKind> Kinds => [.. Enum.GetValues<LogEntryKind>()];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void LogEntryOfEveryKindKeepsItsKindAndRejectsEveryTruncationAndATrailingByte(LogEntryKind kind)
    {
        var entry = Entry(kind, new MessageSamples((int)kind));
        byte[] encoded = entry.Encode();

        Assert.Equal(kind, entry.Kind);
        Assert.Equal(kind, LogEntry.Decode(encoded).Kind);
        Assert.Equal(MerkleTree.HashLeaf(encoded), entry.LeafHash());
        CodecAssert.Canonical(encoded, b => LogEntry.Decode(b).Encode(), b => LogEntry.TryDecode(b, out _));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(10)]
    [InlineData(255)]
    public void LogEntryDecodeRejectsAnUnknownKind(byte kind)
    {
        byte[] encoded = Entry(LogEntryKind.KeysetExpired, new MessageSamples(kind)).Encode();
        encoded[1] = kind;
        Assert.Throws<ProtocolFormatException>(() => LogEntry.Decode(encoded));
        Assert.False(LogEntry.TryDecode(encoded, out _));
    }

    [Fact]
    public void RecordsKeepWholeSecondsAndSortTheirKeysets()
    {
        var s = new MessageSamples(20);
        var (low, high) = Ordered(s.KeysetId(), s.KeysetId());
        var issuance = new IssuanceRecord(s_at, [(high, 2), (low, 1)]);
        var swap = new SwapRecord(s_at, false, [s.Coin()], [(high, 2), (low, 1)]);

        Assert.Equal(new[] { low, high }, issuance.Counts.Select(c => c.Keyset));
        Assert.Equal(new[] { low, high }, swap.Outputs.Select(c => c.Keyset));
        Assert.Equal(s_at.AddMilliseconds(-250), issuance.IssuedAt);
        Assert.Equal(s_at.AddMilliseconds(-250), swap.SwappedAt);
        Assert.Equal(s_at.AddMilliseconds(-250), new SpentCoinsRecord(s_at, [s.Coin()]).SpentAt);
        Assert.Equal(s_at.AddMilliseconds(-250), LogEntry.ForExpiry(new ExpiryRecord(low, s_at, Amount.FromMinorUnits(5))).Expiry!.ExpiredAt);
    }

    [Fact]
    public void RecordsRejectEmptyRepeatedOrOutOfRangeContents()
    {
        var s = new MessageSamples(21);
        var keyset = s.KeysetId();
        Assert.Throws<ArgumentException>("counts", () => new IssuanceRecord(s_at, []));
        Assert.Throws<ArgumentException>("counts", () => new IssuanceRecord(s_at, [(keyset, 1), (keyset, 2)]));
        Assert.Throws<ArgumentException>("counts", () => new IssuanceRecord(s_at, [(keyset, 0)]));
        Assert.Throws<ArgumentException>("counts", () => new IssuanceRecord(s_at, [(keyset, ushort.MaxValue + 1)]));
        Assert.Throws<ArgumentException>("coins", () => new SpentCoinsRecord(s_at, []));
        Assert.Throws<ArgumentException>("inputs", () => new SwapRecord(s_at, false, [], [(keyset, 1)]));
        Assert.Throws<ArgumentException>("outputs", () => new SwapRecord(s_at, false, [s.Coin()], [(keyset, 1), (keyset, 1)]));
        Assert.Throws<ArgumentException>("outputs", () => new SwapRecord(s_at, false, [s.Coin()], [(keyset, 257)]));
    }

    [Fact]
    public void DefaultAllocationSortsSharesAndRejectsRepeatedZeroOrOverflowingShares()
    {
        var keyset = new MessageSamples(22).KeysetId();
        var record = DefaultAllocationRecord.ForExpiredKeyset(keyset, 3, s_at, [Share("p2", 6), Share("p1", 5)], Amount.FromMinorUnits(4));
        Assert.Equal(new[] { "p1", "p2" }, record.Shares.Select(s => s.Provider.Value));
        Assert.Equal(15, record.Total.MinorUnits);
        Assert.Equal(DefaultAllocationSource.ExpiredKeyset, record.Source);
        Assert.Null(record.Round);

        Assert.Throws<ArgumentException>("shares", () => DefaultAllocationRecord.ForExpiredKeyset(keyset, 3, s_at, [Share("p1", 5), Share("p1", 6)], Amount.Zero));
        Assert.Throws<ArgumentException>("shares", () => DefaultAllocationRecord.ForExpiredKeyset(keyset, 3, s_at, [Share("p1", 0)], Amount.Zero));
        Assert.Throws<ArgumentException>("shares", () => DefaultAllocationRecord.ForExpiredKeyset(keyset, 3, s_at, [Share("p1", long.MaxValue)], Amount.FromMinorUnits(1)));
        Assert.Throws<ArgumentException>("round", () => DefaultAllocationRecord.ForUnwithdrawnBalances("two words", 3, s_at, [], Amount.Zero));
    }

    [Fact]
    public void DefaultAllocationDecodeRejectsSharesOutOfOrderOrRepeated()
    {
        var entry = LogEntry.ForAllocation(DefaultAllocationRecord.ForUnwithdrawnBalances("2026-q1", 3, s_at, [Share("p1", 5), Share("p2", 6)], Amount.Zero));
        byte[] first = [2, .. "p1"u8, .. CodecAssert.I64(5)];
        byte[] second = [2, .. "p2"u8, .. CodecAssert.I64(6)];
        byte[] encoded = entry.Encode();

        Assert.Throws<ProtocolFormatException>(() => LogEntry.Decode(CodecAssert.Replace(encoded, [.. first, .. second], [.. second, .. first])));
        Assert.Throws<ProtocolFormatException>(() => LogEntry.Decode(CodecAssert.Replace(encoded, [.. first, .. second], [.. first, .. first])));
        Assert.Equal(encoded, LogEntry.Decode(encoded).Encode());
    }

    private static ProviderShare Share(string provider, long amount) => new(new AccountId(provider), Amount.FromMinorUnits(amount));

    private static (KeysetId Low, KeysetId High) Ordered(KeysetId a, KeysetId b) => a.CompareTo(b) < 0 ? (a, b) : (b, a);

    private static LogEntry Entry(LogEntryKind kind, MessageSamples s) => kind switch
    {
        LogEntryKind.KeysetAnnounced => LogEntry.ForKeyset(s.Announcement()),
        LogEntryKind.RegistryPublished => LogEntry.ForRegistry(s.Registry()),
        LogEntryKind.CoinsSpent => LogEntry.ForSpentCoins(new SpentCoinsRecord(s.Time(), [s.Coin(), s.Coin()])),
        LogEntryKind.CoinsIssued => LogEntry.ForIssuance(new IssuanceRecord(s.Time(), [(s.KeysetId(), 3), (s.KeysetId(), 1)])),
        LogEntryKind.KeysetExpired => LogEntry.ForExpiry(new ExpiryRecord(s.KeysetId(), s.Time(), Amount.FromMinorUnits(900))),
        LogEntryKind.CoinsSwapped => LogEntry.ForSwap(new SwapRecord(s.Time(), true, [s.Coin()], [(s.KeysetId(), 2)])),
        LogEntryKind.AllocationTablePublished => LogEntry.ForAllocationTable(s.DefaultTable()),
        LogEntryKind.DefaultAllocated => LogEntry.ForAllocation(s.AllocationRecord()),
        LogEntryKind.WithdrawalReversed => LogEntry.ForReversal(new ReversalRecord(s.Time(), [(s.KeysetId(), 2), (s.KeysetId(), 1)])),
        LogEntryKind.LedgerCheckpoint => LogEntry.ForLedgerCheckpoint(s.LedgerCheckpoint()),
        LogEntryKind.RefundIssued => LogEntry.ForRefund(new RefundRecord(s.Time(), new AccountId("union-a"), Amount.FromMinorUnits(300), [(s.KeysetId(), 2), (s.KeysetId(), 1)])),
        LogEntryKind.ProvidersPaidOut => LogEntry.ForPayouts(s.PayoutsRecord()),
        LogEntryKind.FundsTablePublished => LogEntry.ForFundsTable(s.FundsTable()),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };
}
