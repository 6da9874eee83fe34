namespace Wallet.Protocol.Withdrawals;

/// <summary>What the withdrawal flow keeps: account keys, stored withdrawal responses for replay, and the blind signatures they carry for restore (part of <see cref="Schemes.ISchemeStore"/>).</summary>
public interface IWithdrawalStore
{
    /// <summary>Registers (or replaces) a worker's account key.</summary>
    /// <param name="account">The account.</param>
    /// <param name="key">The account key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutAccountKeyAsync(AccountId account, Ed25519PublicKey key, CancellationToken cancellationToken);

    /// <summary>Finds a worker's account key.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The key, or null.</returns>
    ValueTask<Ed25519PublicKey?> GetAccountKeyAsync(AccountId account, CancellationToken cancellationToken);

    /// <summary>Whether a worker's account key is registered, without importing (and so validating) the key.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>True when the account has a key.</returns>
    /// <remarks>
    /// A payroll batch (docs/PROTOCOL.md 5.21) asks this for every worker it credits; importing a key runs the full
    /// subgroup check, which would cost more than the ledger write. Stores answer it from the stored bytes.
    /// </remarks>
    async ValueTask<bool> HasAccountAsync(AccountId account, CancellationToken cancellationToken) =>
        await GetAccountKeyAsync(account, cancellationToken).ConfigureAwait(false) is not null;

    /// <summary>Which of <paramref name="accounts"/> have a registered key: <see cref="HasAccountAsync"/> for many accounts at once.</summary>
    /// <param name="accounts">The accounts; a repeated account is answered once.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The registered accounts among <paramref name="accounts"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accounts"/> or an item of it is null.</exception>
    /// <remarks>
    /// A payroll batch (docs/PROTOCOL.md 5.21) asks this once for all the workers it credits. This default asks
    /// <see cref="HasAccountAsync"/> per account; the SQLite and PostgreSQL stores answer with one prepared statement
    /// and one query respectively.
    /// </remarks>
    async ValueTask<IReadOnlySet<AccountId>> FindRegisteredAccountsAsync(IReadOnlyCollection<AccountId> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var found = new HashSet<AccountId>();
        foreach (var account in accounts)
        {
            ArgumentNullException.ThrowIfNull(account, nameof(accounts));
            if (!found.Contains(account) && await HasAccountAsync(account, cancellationToken).ConfigureAwait(false))
            {
                found.Add(account);
            }
        }

        return found;
    }

    /// <summary>Stores an honoured withdrawal and indexes its blind signatures by blinded message (first write wins).</summary>
    /// <param name="request">The request.</param>
    /// <param name="response">The response.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutWithdrawalAsync(WithdrawalRequest request, WithdrawalResponse response, CancellationToken cancellationToken);

    /// <summary>Finds a stored withdrawal.</summary>
    /// <param name="account">The account.</param>
    /// <param name="key">The idempotency key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The withdrawal, or null.</returns>
    ValueTask<StoredWithdrawal?> GetWithdrawalAsync(AccountId account, IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>Finds the blind signature issued for a blinded message (restore).</summary>
    /// <param name="blindedMessage">The blinded message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The blind signature, or null.</returns>
    ValueTask<BlindSignature?> FindBlindSignatureAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken);

    /// <summary>Finds the account whose withdrawal carried a blinded message (recovery after revocation).</summary>
    /// <param name="blindedMessage">The blinded message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The account, or null when no withdrawal carried it (swap outputs name no account).</returns>
    ValueTask<AccountId?> FindWithdrawingAccountAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken);
}
