namespace Wallet.Protocol.Refunds;

/// <summary>Refund claims the scheme decided to honour, and which refunds and coins they took (part of <see cref="Schemes.ISchemeStore"/>).</summary>
/// <remarks>docs/PROTOCOL.md 5.17. All first-write-wins: a retried claim cannot change what was decided or answered.</remarks>
public interface IRefundStore
{
    /// <summary>
    /// Stores a decided claim (its <see cref="StoredRefundClaim.Response"/> null) under its scheme-scoped key, and marks
    /// its refund id and every coin as taken by that key. First write wins per key, per refund id and per coin; all of
    /// it is one atomic write.
    /// </summary>
    /// <param name="key">The storage key.</param>
    /// <param name="claim">The decided claim.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutRefundClaimAsync(IdempotencyKey key, StoredRefundClaim claim, CancellationToken cancellationToken);

    /// <summary>Stores the signed response of a decided claim; ignored when the claim is unknown or already answered.</summary>
    /// <param name="key">The storage key.</param>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutRefundResponseAsync(IdempotencyKey key, RefundClaimResponse response, CancellationToken cancellationToken);

    /// <summary>Reads a decided claim.</summary>
    /// <param name="key">The storage key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The claim, or null.</returns>
    ValueTask<StoredRefundClaim?> GetRefundClaimAsync(IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>The key of the claim that took a refund id, if any.</summary>
    /// <param name="refund">The refund id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The storage key, or null.</returns>
    ValueTask<IdempotencyKey?> FindRefundClaimAsync(RefundId refund, CancellationToken cancellationToken);

    /// <summary>The key of the claim that refunded a coin, if any.</summary>
    /// <param name="coin">The coin id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The storage key, or null.</returns>
    ValueTask<IdempotencyKey?> FindCoinRefundAsync(CoinId coin, CancellationToken cancellationToken);
}
