namespace Wallet.Protocol.Coins;

/// <summary>First spends of coins by deposit, kept as double-spend evidence (part of <see cref="Schemes.ISchemeStore"/>).</summary>
public interface ISpendStore
{
    /// <summary>Stores the first spend of each coin (first write wins per coin).</summary>
    /// <param name="spends">The spends.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutSpendsAsync(IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken);

    /// <summary>Finds the stored spend of a coin.</summary>
    /// <param name="coin">The coin id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The spend, or null.</returns>
    ValueTask<CoinSpend?> GetSpendAsync(CoinId coin, CancellationToken cancellationToken);
}
