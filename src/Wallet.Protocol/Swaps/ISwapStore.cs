namespace Wallet.Protocol.Swaps;

/// <summary>Honoured swaps and recoveries with their input spends (part of <see cref="Schemes.ISchemeStore"/>).</summary>
public interface ISwapStore
{
    /// <summary>
    /// Stores an honoured swap or recovery under its (scheme-scoped) key, with its outputs' blind signatures indexed
    /// for restore (under no account) and its input spends kept as first-spend evidence. First write per key wins;
    /// all of it is one atomic write.
    /// </summary>
    /// <param name="key">The storage key.</param>
    /// <param name="swap">The request hash and response.</param>
    /// <param name="outputs">The blinded messages, in the order of the response's blind signatures.</param>
    /// <param name="spends">The input spends (empty for a recovery).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutSwapAsync(IdempotencyKey key, StoredSwap swap, IReadOnlyList<BlindedMessage> outputs, IReadOnlyList<SwapSpend> spends, CancellationToken cancellationToken);

    /// <summary>Reads a stored swap or recovery.</summary>
    /// <param name="key">The storage key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The swap, or null.</returns>
    ValueTask<StoredSwap?> GetSwapAsync(IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>Reads the swap spend that first spent a coin.</summary>
    /// <param name="coin">The coin id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The spend, or null.</returns>
    ValueTask<SwapSpend?> GetSwapSpendAsync(CoinId coin, CancellationToken cancellationToken);
}
