namespace Wallet.Protocol.Log;

/// <summary>
/// The public record of one paid refund: the provider whose payable paid it, the amount, and how many coins of each
/// keyset were issued for it. No worker, no account, no refunded coin and no refund or payment id: the log never ties a
/// coin to the provider it was spent with (coercion resistance), so a refund names the provider alone.
/// </summary>
/// <remarks>docs/PROTOCOL.md 5.17 and section 3 (log entry kind 12).</remarks>
public sealed class RefundRecord
{
    /// <summary>Most output keysets per record, and most coins of one keyset (a claim asks for at most 256 coins).</summary>
    public const int MaxKeysets = 256;

    /// <summary>Creates a record.</summary>
    /// <param name="refundedAt">When the refund was paid.</param>
    /// <param name="provider">The provider whose payable paid it.</param>
    /// <param name="amount">The value paid; positive.</param>
    /// <param name="counts">Coins issued per keyset; 1 to 256 distinct keysets, counts 1 to 256.</param>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The list is empty, too long, repeats a keyset or has a count out of range.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    public RefundRecord(DateTimeOffset refundedAt, AccountId provider, Amount amount, IReadOnlyList<(KeysetId Keyset, int Count)> counts)
    {
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count is 0 or > MaxKeysets || counts.Any(c => c.Count is <= 0 or > MaxKeysets) || counts.Select(c => c.Keyset).Distinct().Count() != counts.Count)
        {
            throw new ArgumentException("1 to 256 distinct keysets with counts 1 to 256.", nameof(counts));
        }

        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount is positive.");
        }

        RefundedAt = DateTimeOffset.FromUnixTimeSeconds(refundedAt.ToUnixTimeSeconds());
        Provider = provider;
        Amount = amount;
        Counts = [.. counts.OrderBy(c => c.Keyset)];
    }

    /// <summary>When the refund was paid (whole seconds).</summary>
    public DateTimeOffset RefundedAt { get; }

    /// <summary>The provider whose payable paid the refund.</summary>
    public AccountId Provider { get; }

    /// <summary>The value paid.</summary>
    public Amount Amount { get; }

    /// <summary>Coins issued per keyset, ordered by keyset id.</summary>
    public ImmutableArray<(KeysetId Keyset, int Count)> Counts { get; }

    internal void Write(ProtocolWriter w)
    {
        w.Time(RefundedAt);
        w.Ascii(Provider.Value);
        w.Amount(Amount);
        w.List(Counts, IssuanceRecord.WriteCount);
    }

    internal static RefundRecord Read(ref ProtocolReader r)
    {
        var at = r.Time("refunded_at");
        var provider = r.Account("provider_id");
        var amount = r.Amount("amount", positive: true);
        var counts = r.List("counts", MaxKeysets, IssuanceRecord.ReadCount, "A refund record issues at least one coin.");
        if (counts.Any(c => c.Count is 0 or > MaxKeysets))
        {
            throw new ProtocolFormatException("A refund output count is 1 to 256.");
        }

        ProtocolCodec.RequireAscending(counts, static (a, b) => a.Keyset.CompareTo(b.Keyset), "Refund keysets are not strictly ascending.");
        return new RefundRecord(at, provider, amount, counts);
    }
}
