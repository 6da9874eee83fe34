namespace Wallet.Protocol.Log;

/// <summary>
/// The public record of one honoured withdrawal: how many coins of each keyset were issued, and when. It names no
/// account; it lets an auditor check that no keyset is spent beyond what was issued.
/// </summary>
public sealed class IssuanceRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="issuedAt">The withdrawal time.</param>
    /// <param name="counts">Coins issued per keyset; 1 to 1024 distinct keysets, positive counts.</param>
    /// <exception cref="ArgumentNullException"><paramref name="counts"/> is null.</exception>
    /// <exception cref="ArgumentException">The list is empty, too long, repeats a keyset or has a zero count.</exception>
    public IssuanceRecord(DateTimeOffset issuedAt, IReadOnlyList<(KeysetId Keyset, int Count)> counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count is 0 or > 1024 || counts.Any(c => c.Count <= 0 || c.Count > ushort.MaxValue) || counts.Select(c => c.Keyset).Distinct().Count() != counts.Count)
        {
            throw new ArgumentException("1 to 1024 distinct keysets with counts 1 to 65535.", nameof(counts));
        }

        IssuedAt = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        Counts = [.. counts.OrderBy(c => c.Keyset)];
    }

    /// <summary>The withdrawal time.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>Coins issued per keyset, ordered by keyset id.</summary>
    public ImmutableArray<(KeysetId Keyset, int Count)> Counts { get; }

    internal void Write(ProtocolWriter w)
    {
        w.Time(IssuedAt);
        w.List(Counts, WriteCount);
    }

    /// <summary>One (keyset, coin count) pair as the log carries it; swap records use the same layout.</summary>
    internal static void WriteCount((KeysetId Keyset, int Count) entry, ProtocolWriter w)
    {
        w.Fixed(entry.Keyset.Bytes);
        w.U16(entry.Count);
    }

    /// <summary>Reads one (keyset, coin count) pair.</summary>
    internal static (KeysetId Keyset, int Count) ReadCount(ref ProtocolReader r) => (r.Keyset("keyset_id"), r.U16("count"));

    internal static IssuanceRecord Read(ref ProtocolReader r)
    {
        var at = r.Time("issued_at");
        var counts = r.List("counts", 1024, ReadCount);
        ProtocolCodec.RequireAscending(counts, static (a, b) => a.Keyset.CompareTo(b.Keyset), "Issuance keysets are not strictly ascending.");
        return new IssuanceRecord(at, counts);
    }
}
