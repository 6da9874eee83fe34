namespace Wallet.Protocol.Log;

/// <summary>
/// The public record of one default allocation: which value (an expired keyset, or a round of never-withdrawn
/// balances), the rule table version applied, and the total paid to each provider. It names no worker: a round
/// of balances is aggregated per provider.
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md section 5.8. <see cref="Pooled"/> is value the rule could not pay to an accredited provider
/// (the resolved provider is not accredited at that time, or does not accept the keyset's fund); it stays in the
/// scheme's default pool.
/// </remarks>
public sealed class DefaultAllocationRecord
{
    /// <summary>Most provider shares per record.</summary>
    public const int MaxShares = 4096;

    private DefaultAllocationRecord(DefaultAllocationSource source, KeysetId? keyset, string? round, uint tableVersion, DateTimeOffset allocatedAt, ImmutableArray<ProviderShare> shares, Amount pooled)
    {
        (Source, Keyset, Round, TableVersion) = (source, keyset, round, tableVersion);
        AllocatedAt = DateTimeOffset.FromUnixTimeSeconds(allocatedAt.ToUnixTimeSeconds());
        Shares = shares;
        Pooled = pooled;
    }

    /// <summary>Which value was allocated.</summary>
    public DefaultAllocationSource Source { get; }

    /// <summary>The expired keyset when <see cref="Source"/> is <see cref="DefaultAllocationSource.ExpiredKeyset"/>.</summary>
    public KeysetId? Keyset { get; }

    /// <summary>The round name when <see cref="Source"/> is <see cref="DefaultAllocationSource.UnwithdrawnBalances"/>.</summary>
    public string? Round { get; }

    /// <summary>The version of the default-allocation table applied.</summary>
    public uint TableVersion { get; }

    /// <summary>When the allocation was made.</summary>
    public DateTimeOffset AllocatedAt { get; }

    /// <summary>The total per provider, strictly ascending by provider id.</summary>
    public ImmutableArray<ProviderShare> Shares { get; }

    /// <summary>Value left in the default pool because no accredited provider could take it.</summary>
    public Amount Pooled { get; }

    /// <summary>Everything the record allocated: the shares plus the pooled value.</summary>
    public Amount Total => Amount.Sum(Shares.Select(s => s.Amount).Append(Pooled));

    /// <summary>A record for an expired keyset's value.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="tableVersion">The table version applied.</param>
    /// <param name="allocatedAt">When.</param>
    /// <param name="shares">Per provider totals; distinct providers, positive amounts.</param>
    /// <param name="pooled">Value left in the default pool.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The shares repeat a provider, have a non-positive amount, are too many, or add up beyond the range of an amount.</exception>
    public static DefaultAllocationRecord ForExpiredKeyset(KeysetId keyset, uint tableVersion, DateTimeOffset allocatedAt, IEnumerable<ProviderShare> shares, Amount pooled)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        ArgumentNullException.ThrowIfNull(shares);
        return new(DefaultAllocationSource.ExpiredKeyset, keyset, null, tableVersion, allocatedAt, Canonical(shares, nameof(shares), pooled), pooled);
    }

    /// <summary>A record for a round of never-withdrawn balances, aggregated per provider.</summary>
    /// <param name="round">The round name (a token, e.g. "epoch-1").</param>
    /// <param name="tableVersion">The table version applied.</param>
    /// <param name="allocatedAt">When.</param>
    /// <param name="shares">Per provider totals; distinct providers, positive amounts.</param>
    /// <param name="pooled">Value left in the default pool.</param>
    /// <returns>The record.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">The round is not a token, or the shares repeat a provider, have a non-positive amount, are too many, or add up beyond the range of an amount.</exception>
    public static DefaultAllocationRecord ForUnwithdrawnBalances(string round, uint tableVersion, DateTimeOffset allocatedAt, IEnumerable<ProviderShare> shares, Amount pooled)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(shares);
        AsciiToken.Validate(round, nameof(round));
        return new(DefaultAllocationSource.UnwithdrawnBalances, null, round, tableVersion, allocatedAt, Canonical(shares, nameof(shares), pooled), pooled);
    }

    /// <inheritdoc/>
    public override string ToString() => $"DefaultAllocation({Source}, {(object?)Keyset ?? Round}, table v{TableVersion}, {Total})";

    internal void Write(ProtocolWriter w)
    {
        w.U8((byte)Source);
        if (Source == DefaultAllocationSource.ExpiredKeyset)
        {
            w.Fixed(Keyset!.Bytes);
        }
        else
        {
            w.Ascii(Round!);
        }

        w.U32(TableVersion);
        w.Time(AllocatedAt);
        w.List(Shares, static (share, w) =>
        {
            w.Ascii(share.Provider.Value);
            w.Amount(share.Amount);
        });

        w.Amount(Pooled);
    }

    internal static DefaultAllocationRecord Read(ref ProtocolReader r)
    {
        byte source = r.U8("source");
        KeysetId? keyset = null;
        string? round = null;
        switch (source)
        {
            case (byte)DefaultAllocationSource.ExpiredKeyset:
                keyset = r.Keyset("keyset_id");
                break;
            case (byte)DefaultAllocationSource.UnwithdrawnBalances:
                round = r.Ascii("round");
                break;
            default:
                throw new ProtocolFormatException("Unknown default allocation source.");
        }

        uint version = r.U32("table_version");
        var at = r.Time("allocated_at");
        var shares = r.List("shares", MaxShares, static (ref ProtocolReader r) => new ProviderShare(r.Account("provider_id"), r.Amount("amount", positive: true)));
        ProtocolCodec.RequireAscending(shares, static (a, b) => string.CompareOrdinal(a.Provider.Value, b.Provider.Value), "Allocation shares are not strictly ascending.");
        var pooled = r.Amount("pooled");
        return new((DefaultAllocationSource)source, keyset, round, version, at, Canonical(shares, "shares", pooled), pooled);
    }

    private static ImmutableArray<ProviderShare> Canonical(IEnumerable<ProviderShare> shares, string paramName, Amount pooled)
    {
        var sorted = shares.OrderBy(s => s.Provider.Value, StringComparer.Ordinal).ToImmutableArray();
        if (sorted.Length > MaxShares)
        {
            throw new ArgumentException("Too many shares.", paramName);
        }

        for (int i = 0; i < sorted.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(sorted[i], paramName);
            if (sorted[i].Amount.MinorUnits <= 0)
            {
                throw new ArgumentException("Every share is positive.", paramName);
            }

            if (i > 0 && sorted[i - 1].Provider.Value == sorted[i].Provider.Value)
            {
                throw new ArgumentException("Each provider appears once.", paramName);
            }
        }

        try
        {
            _ = checked(sorted.Sum(s => s.Amount.MinorUnits) + pooled.MinorUnits);
        }
        catch (OverflowException)
        {
            throw new ArgumentException("The shares and the pooled value add up beyond the range of an amount.", paramName);
        }

        return sorted;
    }
}
