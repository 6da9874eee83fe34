namespace Wallet.Protocol.Log;

/// <summary>
/// The public record of one payout call: when, and the amount paid out of the scheme to each provider. It names no
/// worker, no payment and no coin: only a total per provider, which is all an auditor needs to check that the
/// providers' payable falls by what left the books (docs/PROTOCOL.md 5.18).
/// </summary>
/// <remarks>
/// Log entry kind 13. Canonical: providers strictly ascending (ordinal), each once, each amount positive, the time in
/// whole seconds. One record per payout call; the list form lets a batch of payouts share one record.
/// </remarks>
public sealed class ProvidersPaidOutRecord
{
    /// <summary>Most providers per record.</summary>
    public const int MaxProviders = 4096;

    private ProvidersPaidOutRecord(DateTimeOffset paidAt, ImmutableArray<ProviderShare> payouts)
    {
        PaidAt = DateTimeOffset.FromUnixTimeSeconds(paidAt.ToUnixTimeSeconds());
        Payouts = payouts;
    }

    /// <summary>When the payouts were made (whole seconds).</summary>
    public DateTimeOffset PaidAt { get; }

    /// <summary>The amount paid out to each provider, strictly ascending by provider id.</summary>
    public ImmutableArray<ProviderShare> Payouts { get; }

    /// <summary>Everything the record paid out.</summary>
    public Amount Total => Amount.Sum(Payouts.Select(p => p.Amount));

    /// <summary>Creates a record.</summary>
    /// <param name="paidAt">When the payouts were made.</param>
    /// <param name="payouts">The amount per provider: 1 to <see cref="MaxProviders"/> distinct providers, positive amounts.</param>
    /// <returns>The record, its payouts in canonical order.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payouts"/> or an item of it is null.</exception>
    /// <exception cref="ArgumentException">The list is empty or too long, repeats a provider, has a zero amount, or adds up beyond the range of an amount.</exception>
    public static ProvidersPaidOutRecord Create(DateTimeOffset paidAt, IEnumerable<ProviderShare> payouts)
    {
        ArgumentNullException.ThrowIfNull(payouts);
        var sorted = payouts.ToArray();
        foreach (var payout in sorted)
        {
            ArgumentNullException.ThrowIfNull(payout, nameof(payouts));
        }

        return new ProvidersPaidOutRecord(paidAt, Canonical(sorted.OrderBy(p => p.Provider.Value, StringComparer.Ordinal), nameof(payouts)));
    }

    /// <inheritdoc/>
    public override string ToString() => $"ProvidersPaidOut({Payouts.Length} providers, {Total})";

    internal void Write(ProtocolWriter w)
    {
        w.Time(PaidAt);
        w.List(Payouts, static (payout, w) =>
        {
            w.Ascii(payout.Provider.Value);
            w.Amount(payout.Amount);
        });
    }

    internal static ProvidersPaidOutRecord Read(ref ProtocolReader r)
    {
        var at = r.Time("paid_at");
        var payouts = r.List("payouts", MaxProviders, static (ref ProtocolReader r) => new ProviderShare(r.Account("provider_id"), r.Amount("amount", positive: true)), "A payout record pays at least one provider.");

        ProtocolCodec.RequireAscending(payouts, static (a, b) => string.CompareOrdinal(a.Provider.Value, b.Provider.Value), "Payout providers are not strictly ascending.");
        try
        {
            return new ProvidersPaidOutRecord(at, Canonical(payouts, "payouts"));
        }
        catch (ArgumentException ex)
        {
            throw new ProtocolFormatException("A payout record's amounts add up beyond the range of an amount.", ex);
        }
    }

    private static ImmutableArray<ProviderShare> Canonical(IEnumerable<ProviderShare> sorted, string paramName)
    {
        var list = sorted.ToImmutableArray();
        if (list.Length is 0 or > MaxProviders)
        {
            throw new ArgumentException("A payout record pays 1 to 4096 providers.", paramName);
        }

        Int128 total = 0;
        for (int i = 0; i < list.Length; i++)
        {
            if (list[i].Amount.MinorUnits <= 0)
            {
                throw new ArgumentException("Every payout is positive.", paramName);
            }

            if (i > 0 && string.Equals(list[i - 1].Provider.Value, list[i].Provider.Value, StringComparison.Ordinal))
            {
                throw new ArgumentException("Each provider appears once.", paramName);
            }

            total += list[i].Amount.MinorUnits;
            if (total > long.MaxValue)
            {
                throw new ArgumentException("The payouts add up beyond the range of an amount.", paramName);
            }
        }

        return list;
    }
}
