namespace Wallet.Protocol.Log;

/// <summary>
/// One leaf of the scheme's transparency log: version, kind and the kind's payload. The Merkle leaf hash is
/// RFC 9162 HashLeaf of <see cref="ProtocolMessage{TSelf}.Encode"/>.
/// </summary>
/// <remarks>docs/PROTOCOL.md "Transparency log".</remarks>
public sealed class LogEntry : ProtocolMessage<LogEntry>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    private static readonly MessageCodec<LogEntry> Codec = Register(new MessageCodec<LogEntry>("log entry", Version, ReadFields, static (m, w) => m.WriteFields(w)));

    private LogEntry(LogEntryKind kind, KeysetAnnouncement? keyset, AccreditationRegistry? registry, SpentCoinsRecord? spent, IssuanceRecord? issued = null, ExpiryRecord? expiry = null, SwapRecord? swap = null, DefaultAllocationTable? allocationTable = null, DefaultAllocationRecord? allocation = null, ReversalRecord? reversal = null, LedgerCheckpointRecord? ledgerCheckpoint = null, ProvidersPaidOutRecord? payouts = null)
    {
        (Swap, AllocationTable, Allocation, Expiry, Issuance, Kind, Keyset, Registry, SpentCoins, Reversal) = (swap, allocationTable, allocation, expiry, issued, kind, keyset, registry, spent, reversal);
        LedgerCheckpoint = ledgerCheckpoint;
        ProvidersPaidOut = payouts;
    }

    /// <summary>The entry kind.</summary>
    public LogEntryKind Kind { get; }

    /// <summary>The announcement when <see cref="Kind"/> is <see cref="LogEntryKind.KeysetAnnounced"/>.</summary>
    public KeysetAnnouncement? Keyset { get; }

    /// <summary>The registry when <see cref="Kind"/> is <see cref="LogEntryKind.RegistryPublished"/>.</summary>
    public AccreditationRegistry? Registry { get; }

    /// <summary>The spent coins when <see cref="Kind"/> is <see cref="LogEntryKind.CoinsSpent"/>.</summary>
    public SpentCoinsRecord? SpentCoins { get; }

    /// <summary>The issuance when <see cref="Kind"/> is <see cref="LogEntryKind.CoinsIssued"/>.</summary>
    public IssuanceRecord? Issuance { get; }

    /// <summary>The expiry when <see cref="Kind"/> is <see cref="LogEntryKind.KeysetExpired"/>.</summary>
    public ExpiryRecord? Expiry { get; }

    /// <summary>The swap or recovery when <see cref="Kind"/> is <see cref="LogEntryKind.CoinsSwapped"/>.</summary>
    public SwapRecord? Swap { get; }

    /// <summary>The reversal when <see cref="Kind"/> is <see cref="LogEntryKind.WithdrawalReversed"/>.</summary>
    public ReversalRecord? Reversal { get; }

    /// <summary>The ledger summary when <see cref="Kind"/> is <see cref="LogEntryKind.LedgerCheckpoint"/>.</summary>
    public LedgerCheckpointRecord? LedgerCheckpoint { get; }

    /// <summary>The paid refund when <see cref="Kind"/> is <see cref="LogEntryKind.RefundIssued"/>.</summary>
    public RefundRecord? Refund { get; private init; }

    /// <summary>The funds table when <see cref="Kind"/> is <see cref="LogEntryKind.FundsTablePublished"/>.</summary>
    public FundsTable? FundsTable { get; private init; }

    /// <summary>A funds-table entry (docs/PROTOCOL.md 5.22).</summary>
    /// <param name="table">The signed table.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    public static LogEntry ForFundsTable(FundsTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new LogEntry(LogEntryKind.FundsTablePublished, null, null, null) { FundsTable = table };
    }

    /// <summary>A paid-refund entry.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static LogEntry ForRefund(RefundRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LogEntry(LogEntryKind.RefundIssued, null, null, null) { Refund = record };
    }

    /// <summary>The payouts when <see cref="Kind"/> is <see cref="LogEntryKind.ProvidersPaidOut"/>.</summary>
    public ProvidersPaidOutRecord? ProvidersPaidOut { get; }

    /// <summary>A payouts entry (docs/PROTOCOL.md 5.18).</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static LogEntry ForPayouts(ProvidersPaidOutRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LogEntry(LogEntryKind.ProvidersPaidOut, null, null, null, payouts: record);
    }

    /// <summary>A ledger checkpoint entry.</summary>
    /// <param name="record">The signed record.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static LogEntry ForLedgerCheckpoint(LedgerCheckpointRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LogEntry(LogEntryKind.LedgerCheckpoint, null, null, null, ledgerCheckpoint: record);
    }

    /// <summary>A withdrawal-reversal entry.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static LogEntry ForReversal(ReversalRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LogEntry(LogEntryKind.WithdrawalReversed, null, null, null, reversal: record);
    }

    /// <summary>A swap or recovery entry.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static LogEntry ForSwap(SwapRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LogEntry(LogEntryKind.CoinsSwapped, null, null, null, null, null, record);
    }

    /// <summary>The rule table when <see cref="Kind"/> is <see cref="LogEntryKind.AllocationTablePublished"/>.</summary>
    public DefaultAllocationTable? AllocationTable { get; }

    /// <summary>The allocation when <see cref="Kind"/> is <see cref="LogEntryKind.DefaultAllocated"/>.</summary>
    public DefaultAllocationRecord? Allocation { get; }

    /// <summary>A default-allocation table entry.</summary>
    /// <param name="table">The signed table.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    public static LogEntry ForAllocationTable(DefaultAllocationTable table)
    {
        ArgumentNullException.ThrowIfNull(table);
        return new LogEntry(LogEntryKind.AllocationTablePublished, null, null, null, allocationTable: table);
    }

    /// <summary>A default-allocation entry.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static LogEntry ForAllocation(DefaultAllocationRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LogEntry(LogEntryKind.DefaultAllocated, null, null, null, allocation: record);
    }

    /// <summary>An expiry entry.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static LogEntry ForExpiry(ExpiryRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LogEntry(LogEntryKind.KeysetExpired, null, null, null, null, new ExpiryRecord(record.Keyset, DateTimeOffset.FromUnixTimeSeconds(record.ExpiredAt.ToUnixTimeSeconds()), record.Value));
    }

    /// <summary>An issuance entry.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static LogEntry ForIssuance(IssuanceRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LogEntry(LogEntryKind.CoinsIssued, null, null, null, record);
    }

    /// <summary>A keyset announcement entry.</summary>
    /// <param name="announcement">The announcement.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="announcement"/> is null.</exception>
    public static LogEntry ForKeyset(KeysetAnnouncement announcement)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        return new LogEntry(LogEntryKind.KeysetAnnounced, announcement, null, null);
    }

    /// <summary>A registry entry.</summary>
    /// <param name="registry">The registry.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public static LogEntry ForRegistry(AccreditationRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        return new LogEntry(LogEntryKind.RegistryPublished, null, registry, null);
    }

    /// <summary>A spent-coins entry.</summary>
    /// <param name="record">The record.</param>
    /// <returns>The entry.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="record"/> is null.</exception>
    public static LogEntry ForSpentCoins(SpentCoinsRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new LogEntry(LogEntryKind.CoinsSpent, null, null, record);
    }

    /// <summary>The RFC 9162 leaf hash of the encoding.</summary>
    /// <returns>The leaf hash.</returns>
    public MerkleHash LeafHash() => MerkleTree.HashLeaf(Encode());

    private void WriteFields(ProtocolWriter w)
    {
        w.U8((byte)Kind);
        switch (Kind)
        {
            case LogEntryKind.KeysetAnnounced:
                Keyset!.Write(w);
                break;
            case LogEntryKind.RegistryPublished:
                Registry!.Write(w);
                break;
            case LogEntryKind.CoinsSpent:
                SpentCoins!.Write(w);
                break;
            case LogEntryKind.CoinsIssued:
                Issuance!.Write(w);
                break;
            case LogEntryKind.CoinsSwapped:
                Swap!.Write(w);
                break;
            case LogEntryKind.AllocationTablePublished:
                AllocationTable!.Write(w);
                break;
            case LogEntryKind.DefaultAllocated:
                Allocation!.Write(w);
                break;
            case LogEntryKind.WithdrawalReversed:
                Reversal!.Write(w);
                break;
            case LogEntryKind.LedgerCheckpoint:
                LedgerCheckpoint!.Write(w);
                break;
            case LogEntryKind.RefundIssued:
                Refund!.Write(w);
                break;
            case LogEntryKind.ProvidersPaidOut:
                ProvidersPaidOut!.Write(w);
                break;
            case LogEntryKind.FundsTablePublished:
                FundsTable!.Write(w);
                break;
            default:
                Expiry!.Write(w);
                break;
        }
    }

    /// <inheritdoc/>
    public override string ToString() => $"LogEntry({Kind})";

    private static LogEntry ReadFields(ref ProtocolReader r)
    {
        return r.U8("kind") switch
        {
            (byte)LogEntryKind.KeysetAnnounced => ForKeyset(KeysetAnnouncement.Read(ref r)),
            (byte)LogEntryKind.RegistryPublished => ForRegistry(AccreditationRegistry.Read(ref r)),
            (byte)LogEntryKind.CoinsSpent => ForSpentCoins(SpentCoinsRecord.Read(ref r)),
            (byte)LogEntryKind.CoinsIssued => ForIssuance(IssuanceRecord.Read(ref r)),
            (byte)LogEntryKind.KeysetExpired => ForExpiry(ExpiryRecord.Read(ref r)),
            (byte)LogEntryKind.CoinsSwapped => ForSwap(SwapRecord.Read(ref r)),
            (byte)LogEntryKind.AllocationTablePublished => ForAllocationTable(DefaultAllocationTable.Read(ref r)),
            (byte)LogEntryKind.DefaultAllocated => ForAllocation(DefaultAllocationRecord.Read(ref r)),
            (byte)LogEntryKind.WithdrawalReversed => ForReversal(ReversalRecord.Read(ref r)),
            (byte)LogEntryKind.LedgerCheckpoint => ForLedgerCheckpoint(LedgerCheckpointRecord.Read(ref r)),
            (byte)LogEntryKind.RefundIssued => ForRefund(RefundRecord.Read(ref r)),
            (byte)LogEntryKind.ProvidersPaidOut => ForPayouts(ProvidersPaidOutRecord.Read(ref r)),
            (byte)LogEntryKind.FundsTablePublished => ForFundsTable(FundsTable.Read(ref r)),
            _ => throw new ProtocolFormatException("Unknown log entry kind."),
        };
    }
}
