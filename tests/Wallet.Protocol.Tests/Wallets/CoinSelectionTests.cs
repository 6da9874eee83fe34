using Wallet.Protocol.Coins;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Wallets.Flows;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>
/// Exact-sum coin selection over candidates read lazily, largest first: it finds an exact subset whenever one exists
/// (checked against every subset of up to 12 coins), never uses a coin twice, and when the greedy pass succeeds it reads
/// the candidates only up to the last coin it takes.
/// </summary>
public sealed class CoinSelectionTests
{
    private static readonly long[] Denominations = [1, 2, 5, 10, 20, 50];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void AnExactSubsetIsFoundWhenOneExistsAndTheGreedyPassReadsNoFurtherThanItTakes(int seed)
    {
        var random = new Random(seed);
        var keyset = new KeysetId(new byte[32]);
        for (int round = 0; round < 300; round++)
        {
            int count = random.Next(0, 13);
            var coins = Enumerable.Range(0, count)
                .Select(i => new WalletCoin(new Coin(keyset, new CoinId(Enumerable.Repeat((byte)(i + 1), 32).ToArray()), new byte[256]), (ulong)i, Amount.FromMinorUnits(Denominations[random.Next(Denominations.Length)])))
                .OrderByDescending(c => c.Value.MinorUnits).ThenBy(c => c.Coin.Id)
                .ToList();
            long target = random.Next(1, 120);
            int read = 0;
            IEnumerable<WalletCoin> Lazy()
            {
                foreach (var coin in coins)
                {
                    read++;
                    yield return coin;
                }
            }

            var chosen = CoinSelection.Exact(Lazy(), Amount.FromMinorUnits(target));
            bool exists = Enumerable.Range(0, 1 << count).Any(mask => Enumerable.Range(0, count).Where(i => (mask & (1 << i)) != 0).Sum(i => coins[i].Value.MinorUnits) == target);
            Assert.Equal(exists, chosen is not null);
            if (chosen is null)
            {
                continue;
            }

            Assert.Equal(target, chosen.Sum(c => c.Value.MinorUnits));
            Assert.Equal(chosen.Count, chosen.Distinct().Count());
            Assert.All(chosen, c => Assert.Contains(c, coins));
            if (read <= count)
            {
                // Only the greedy pass ran: it stopped at the last coin it took.
                Assert.Equal(chosen.Max(c => coins.IndexOf(c)) + 1, read);
            }
        }
    }
}
