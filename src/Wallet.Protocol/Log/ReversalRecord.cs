namespace Wallet.Protocol.Log;

/// <summary>
/// The public record of one reversed withdrawal: how many coins of each keyset it had paid for and will never be
/// issued (no <see cref="IssuanceRecord"/> was logged for it), and when the value went back to the worker. Like an
/// issuance it names no account; it lets an auditor reconcile the log's issued coins with the ledger's issued value
/// less its reversed value.
/// </summary>
/// <remarks>docs/PROTOCOL.md section 5.3 (reversal) and section 3 (log entry kind 10).</remarks>
public sealed class ReversalRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="reversedAt">When the withdrawal was reversed.</param>
    /// <param name="counts">Coins reversed per keyset; 1 to 1024 distinct keysets, counts 1 to 65535.</param>
    /// <exception cref="ArgumentNullException"><paramref name="counts"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty, too long, repeats a keyset or has a zero count.</exception>
    public ReversalRecord(DateTimeOffset reversedAt, IReadOnlyList<(KeysetId Keyset, int Count)> counts)
    {
        // The same shape and limits as an issuance: a reversal undoes exactly one withdrawal.
        var shape = new IssuanceRecord(reversedAt, counts);
        ReversedAt = shape.IssuedAt;
        Counts = shape.Counts;
    }

    /// <summary>When the withdrawal was reversed (whole seconds).</summary>
    public DateTimeOffset ReversedAt { get; }

    /// <summary>Coins reversed per keyset, ordered by keyset id.</summary>
    public ImmutableArray<(KeysetId Keyset, int Count)> Counts { get; }

    internal void Write(ProtocolWriter w)
    {
        w.Time(ReversedAt);
        w.List(Counts, IssuanceRecord.WriteCount);
    }

    internal static ReversalRecord Read(ref ProtocolReader r)
    {
        var at = r.Time("reversed_at");
        var counts = r.List("counts", 1024, IssuanceRecord.ReadCount);
        ProtocolCodec.RequireAscending(counts, static (a, b) => a.Keyset.CompareTo(b.Keyset), "Reversal keysets are not strictly ascending.");
        return new ReversalRecord(at, counts);
    }
}
