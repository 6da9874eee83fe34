namespace Wallet.Protocol.Wallets.Flows;

/// <summary>Exact-sum coin selection: greedy first, then a bounded subset-sum search.</summary>
internal static class CoinSelection
{
    private const long MaxSearchAmount = 1_000_000;

    /// <summary>
    /// Coins of <paramref name="candidates"/> that sum to exactly <paramref name="target"/>, or null. The greedy pass
    /// stops as soon as the sum is reached, so a lazy <paramref name="candidates"/> is read only as far as needed; the
    /// search, when the greedy pass fails, reads it again in full.
    /// </summary>
    /// <param name="candidates">The candidate coins, largest value first (then by coin id); enumerable more than once.</param>
    /// <param name="target">The sum to reach.</param>
    public static IReadOnlyList<WalletCoin>? Exact(IEnumerable<WalletCoin> candidates, Amount target)
    {
        var greedy = new List<WalletCoin>();
        long left = target.MinorUnits;
        foreach (var coin in candidates)
        {
            if (coin.Value.MinorUnits <= left)
            {
                greedy.Add(coin);
                left -= coin.Value.MinorUnits;
                if (left == 0)
                {
                    // Coin values are positive: no later coin could be added.
                    break;
                }
            }
        }

        if (left == 0)
        {
            return greedy;
        }

        if (target.MinorUnits > MaxSearchAmount)
        {
            return null;
        }

        var coinsLargestFirst = candidates as IReadOnlyList<WalletCoin> ?? [.. candidates];

        // last[s] = index+1 of the coin that first reached sum s; each coin used at most once (0/1 knapsack).
        int t = (int)target.MinorUnits;
        int[] last = new int[t + 1];
        last[0] = -1;
        for (int i = 0; i < coinsLargestFirst.Count; i++)
        {
            long v = coinsLargestFirst[i].Value.MinorUnits;
            if (v > t)
            {
                continue;
            }

            for (int s = t; s >= v; s--)
            {
                if (last[s] == 0 && last[s - (int)v] != 0)
                {
                    last[s] = i + 1;
                }
            }
        }

        if (last[t] == 0)
        {
            return null;
        }

        var chosen = new List<WalletCoin>();
        for (int s = t; s > 0;)
        {
            var coin = coinsLargestFirst[last[s] - 1];
            chosen.Add(coin);
            s -= (int)coin.Value.MinorUnits;
        }

        return chosen;
    }
}
