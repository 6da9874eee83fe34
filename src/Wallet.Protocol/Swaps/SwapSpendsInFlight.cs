using System.Collections.Concurrent;

namespace Wallet.Protocol.Swaps;

/// <summary>
/// The input spends of swaps the ledger took whose answer is not stored yet: a swap signs outside the scheme's gate
/// (docs/PROTOCOL.md 5.10), and meanwhile these are the first-spend evidence a deposit or another swap of the same coin
/// is answered with. One instance per scheme; written and read under the gate.
/// </summary>
internal sealed class SwapSpendsInFlight
{
    private readonly ConcurrentDictionary<CoinId, SwapSpend> _spends = new();

    /// <summary>Records a committed swap's spends, until <see cref="Remove"/> once its answer is stored.</summary>
    public void Add(IEnumerable<SwapSpend> spends)
    {
        foreach (var spend in spends)
        {
            _spends[spend.Coin.Id] = spend;
        }
    }

    /// <summary>Forgets a swap's spends: its answer, and with it its spends, is in the store now.</summary>
    public void Remove(IEnumerable<SwapSpend> spends)
    {
        foreach (var spend in spends)
        {
            _spends.TryRemove(spend.Coin.Id, out _);
        }
    }

    /// <summary>The spend of a swap still signing that spent <paramref name="coin"/>, if any.</summary>
    public bool TryGet(CoinId coin, [MaybeNullWhen(false)] out SwapSpend spend) => _spends.TryGetValue(coin, out spend);

    /// <summary>Whether a swap still signing spent <paramref name="coin"/>.</summary>
    public bool Contains(CoinId coin) => _spends.ContainsKey(coin);
}
