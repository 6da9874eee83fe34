namespace Wallet.Protocol.Deposits;

/// <summary>Deposit receipts stored for replay (part of <see cref="Schemes.ISchemeStore"/>).</summary>
public interface IDepositStore
{
    /// <summary>Stores an accepted deposit (first write wins).</summary>
    /// <param name="deposit">The deposit.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutDepositAsync(StoredDeposit deposit, CancellationToken cancellationToken);

    /// <summary>Finds a stored deposit.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="key">The idempotency key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The deposit, or null.</returns>
    ValueTask<StoredDeposit?> GetDepositAsync(AccountId provider, IdempotencyKey key, CancellationToken cancellationToken);
}
