using Wallet.Protocol.Coins;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Wallets.State;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>
/// The wallet state keeps its unspent coins apart as coins are added and spent, so that payments and swaps look only
/// through those: whatever the order of additions, replacements and spends (a restore marks coins spent before it
/// holds them, a file load marks them after), the unspent coins are exactly the held coins not marked spent, and the
/// order payments and swaps choose from is theirs, largest value first and then by coin id, also when a coin is
/// replaced by one of another value.
/// </summary>
public sealed class WalletStateUnspentTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    public void TheUnspentCoinsAreAlwaysTheHeldCoinsNotMarkedSpentInChoosingOrder(int seed)
    {
        var random = new Random(seed);
        var keyset = new KeysetId(new byte[32]);
        var ids = Enumerable.Range(0, 40).Select(i => new CoinId(Enumerable.Repeat((byte)i, 32).ToArray())).ToArray();
        using var state = new WalletState();
        for (int step = 0; step < 400; step++)
        {
            var id = ids[random.Next(ids.Length)];
            var coin = new WalletCoin(new Coin(keyset, id, new byte[256]), (ulong)step, Amount.FromMinorUnits(100 * (1 + random.Next(3))));
            switch (random.Next(4))
            {
                case 0:
                    state.PutCoin(coin);
                    Assert.Same(coin, state.Coins[id]);
                    break;
                case 1:
                    bool held = state.Coins.ContainsKey(id);
                    Assert.Equal(!held, state.TryAddCoin(coin));
                    break;
                case 2:
                    state.MarkSpent(id);
                    break;
                default:
                    state.MarkSpent([id, ids[random.Next(ids.Length)]]);
                    break;
            }

            var expected = state.Coins.Values.Where(c => !state.Spent.Contains(c.Coin.Id)).OrderBy(c => c.Coin.Id).ToList();
            Assert.Equal(expected, state.Unspent().OrderBy(c => c.Coin.Id).ToList());
            Assert.All(state.Unspent(), c => Assert.Same(state.Coins[c.Coin.Id], c));
            Assert.Equal(expected.OrderByDescending(c => c.Value.MinorUnits).ThenBy(c => c.Coin.Id), state.Available());
        }
    }
}
