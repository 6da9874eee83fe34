namespace Wallet.Protocol.Ledger;

// What the operations plan with: postings, spent-coin partitioning, expiry checks, argument checks and the plan itself.
public sealed partial class SchemeLedger
{
    private static IEnumerable<Posting> IssuePostings(IEnumerable<KeysetAmount> outputs) =>
        outputs.GroupBy(o => o.Keyset)
            .Select(g => new Posting(LedgerAccount.Outstanding(g.Key), Amount.Sum(g.Select(o => o.Value)).MinorUnits));

    private static async ValueTask<List<Posting>?> RedeemPostingsAsync(ILedgerWriteTransaction tx, IReadOnlyList<SpentCoin> coins, CancellationToken ct)
    {
        var postings = new List<Posting>();
        foreach (var group in coins.GroupBy(c => c.Keyset))
        {
            var account = LedgerAccount.Outstanding(group.Key);
            long value = Amount.Sum(group.Select(c => c.Value)).MinorUnits;
            long outstanding = await tx.GetBalanceAsync(account, ct).ConfigureAwait(false);
            if (outstanding < value)
            {
                return null;
            }

            postings.Add(new Posting(account, -value));
        }

        return postings;
    }

    private static async ValueTask<(List<SpentCoin> Accepted, List<CoinConflict> Conflicts)> PartitionSpentAsync(
        ILedgerWriteTransaction tx, IReadOnlyList<SpentCoin> coins, CancellationToken ct)
    {
        var accepted = new List<SpentCoin>(coins.Count);
        var conflicts = new List<CoinConflict>();
        var spent = await tx.FindSpentAsync(coins.Select(c => c.Coin).ToArray(), ct).ConfigureAwait(false);
        foreach (var coin in coins)
        {
            if (spent.TryGetValue(coin.Coin, out long spentIn))
            {
                conflicts.Add(new CoinConflict(coin.Coin, spentIn));
            }
            else
            {
                accepted.Add(coin);
            }
        }

        conflicts.Sort((a, b) => a.Coin.CompareTo(b.Coin));
        return (accepted, conflicts);
    }

    private static async ValueTask<bool> AnyExpiredAsync(ILedgerWriteTransaction tx, IEnumerable<KeysetId> keysets, CancellationToken ct)
    {
        foreach (var keyset in keysets.Distinct())
        {
            if ((await tx.GetKeysetAsync(keyset, ct).ConfigureAwait(false)).IsExpired)
            {
                return true;
            }
        }

        return false;
    }

    private static void RequirePositive(Amount amount, string paramName)
    {
        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(paramName, "The amount must be more than zero.");
        }
    }

    private static void RequireItems<T>(IReadOnlyList<T> items, string paramName)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items, paramName);
        if (items.Count == 0)
        {
            throw new ArgumentException("At least one item is required.", paramName);
        }

        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, paramName);
        }
    }

    private static void RequireDistinctCoins(IReadOnlyList<SpentCoin> coins, string paramName)
    {
        RequireItems(coins, paramName);
        if (coins.Select(c => c.Coin).Distinct().Count() != coins.Count)
        {
            throw new ArgumentException("A coin appears more than once.", paramName);
        }
    }

    private sealed record Plan(
        LedgerStatus Status,
        IReadOnlyList<Posting> Postings,
        IReadOnlyList<SpentCoin> Coins,
        IReadOnlyList<KeysetId> Closed,
        IReadOnlyList<CoinConflict> Conflicts,
        bool Record = true)
    {
        public static Plan Apply(
            IReadOnlyList<Posting> postings,
            IReadOnlyList<SpentCoin>? coins = null,
            IReadOnlyList<KeysetId>? closed = null,
            IReadOnlyList<CoinConflict>? conflicts = null) =>
            new(LedgerStatus.Applied, postings, coins ?? [], closed ?? [], conflicts ?? []);

        public static Plan Refuse(LedgerStatus status, IReadOnlyList<CoinConflict>? conflicts = null) =>
            new(status, [], [], [], conflicts ?? []);

        // A refusal that may not hold later (what it names does not exist yet): rolled back, not stored under the key.
        public static Plan Decline(LedgerStatus status) =>
            new(status, [], [], [], [], Record: false);
    }
}
