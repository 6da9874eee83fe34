namespace Wallet.Protocol.Wallets.Flows;

/// <summary>Splits a value into coins greedily over the denominations, largest first, as the uniform-withdrawal policy and swaps do.</summary>
internal static class DenominationSplit
{
    /// <summary>
    /// Greedy over <paramref name="largestFirst"/> (one keyset per denomination, largest denomination first): as many
    /// coins of each as fit. Null when more than <paramref name="maxCoins"/> coins would be needed.
    /// </summary>
    public static List<TrustedKeyset>? Greedy(IEnumerable<TrustedKeyset> largestFirst, long value, int maxCoins, out long remainder)
    {
        var split = new List<TrustedKeyset>();
        foreach (var keyset in largestFirst)
        {
            long denomination = keyset.Descriptor.Denomination.MinorUnits;
            for (; value >= denomination; value -= denomination)
            {
                split.Add(keyset);
                if (split.Count > maxCoins)
                {
                    remainder = value;
                    return null;
                }
            }
        }

        remainder = value;
        return split;
    }

    /// <summary>
    /// An exact split of <paramref name="value"/> over <paramref name="keysets"/> (per denomination, the keyset
    /// withdrawable longest), or null when the denominations cannot make it or it needs more coins than a swap carries.
    /// </summary>
    public static List<TrustedKeyset>? Exact(IReadOnlyList<TrustedKeyset> keysets, long value)
    {
        var largestFirst = keysets
            .GroupBy(k => k.Descriptor.Denomination.MinorUnits)
            .Select(g => g.OrderBy(k => k.Descriptor.WithdrawUntil).ThenBy(k => k.Descriptor.Id).Last())
            .OrderByDescending(k => k.Descriptor.Denomination.MinorUnits);
        return Greedy(largestFirst, value, Swaps.SwapRequest.MaxItems, out long remainder) is { } split && remainder == 0 ? split : null;
    }

    /// <summary>
    /// The trusted keysets <paramref name="ids"/>, each withdrawable now and, when <paramref name="sameFund"/>, all of one fund.
    /// Call under the state lock.
    /// </summary>
    /// <exception cref="ArgumentException">The list is empty, or a keyset is untrusted, not withdrawable now, or of another fund.</exception>
    public static List<TrustedKeyset> Targets(WalletState state, IReadOnlyList<KeysetId> ids, DateTimeOffset now, string parameter, bool sameFund = true)
    {
        if (ids.Count == 0)
        {
            throw new ArgumentException("At least one keyset.", parameter);
        }

        var targets = new List<TrustedKeyset>(ids.Count);
        foreach (var id in ids)
        {
            if (id is null || !state.Keysets.TryGetValue(id, out var trusted) || !trusted.Descriptor.IsWithdrawable(now))
            {
                throw new ArgumentException("A keyset is not trusted or not withdrawable now.", parameter);
            }

            targets.Add(trusted);
        }

        if (sameFund && targets.Any(t => t.Descriptor.Fund != targets[0].Descriptor.Fund))
        {
            throw new ArgumentException("The keysets are of different funds.", parameter);
        }

        return targets;
    }
}
