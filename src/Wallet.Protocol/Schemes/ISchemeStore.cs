using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Log;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme's state beyond the ledger and the Merkle node store: keysets, account keys, stored withdrawal
/// responses (for replay and restore), first spends of coins (for double-spend proofs), deposit receipts, the
/// bytes of every log entry, and registry versions. Every implementation passes the SchemeStoreContract suite.
/// </summary>
/// <remarks>
/// "First write wins" methods never overwrite: a second put for the same key is ignored, so a retried operation
/// cannot change what was already answered.
/// </remarks>
public interface ISchemeStore
{
    /// <summary>Stores a keyset (first write wins).</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutKeysetAsync(StoredKeyset keyset, CancellationToken cancellationToken);

    /// <summary>Marks a keyset revoked.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the keyset exists.</returns>
    ValueTask<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken);

    /// <summary>Finds a keyset.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keyset, or null.</returns>
    ValueTask<StoredKeyset?> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken);

    /// <summary>Lists every keyset in announcement order.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keysets.</returns>
    ValueTask<IReadOnlyList<StoredKeyset>> ListKeysetsAsync(CancellationToken cancellationToken);

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

    /// <summary>
    /// Stores the bytes of log entry <paramref name="index"/> with the operation that logs it, replacing any entry
    /// (and its operation) that a crashed append left at that index.
    /// </summary>
    /// <remarks>
    /// The operation key is what makes logging exactly-once across crashes: a retried operation finds its entry with
    /// <see cref="FindLogIndexAsync"/> instead of appending it again. An operation has at most one stored entry.
    /// </remarks>
    /// <param name="index">The leaf index.</param>
    /// <param name="entry">The entry.</param>
    /// <param name="operation">The key of the operation that logs the entry (unique per operation).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutLogEntryAsync(ulong index, LogEntry entry, string operation, CancellationToken cancellationToken);

    /// <summary>Finds the index at which an operation's log entry was stored.</summary>
    /// <param name="operation">The operation key given to <see cref="PutLogEntryAsync"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The index, or null when the operation has no stored entry (never written, or overwritten).</returns>
    ValueTask<ulong?> FindLogIndexAsync(string operation, CancellationToken cancellationToken);

    /// <summary>Reads log entry <paramref name="index"/>.</summary>
    /// <param name="index">The leaf index.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or null.</returns>
    ValueTask<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken);

    /// <summary>Stores a registry version (first write per version wins).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken);

    /// <summary>Lists registry versions in ascending version order.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The registries.</returns>
    ValueTask<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken);

    /// <summary>Finds the account whose withdrawal carried a blinded message (recovery after revocation).</summary>
    /// <param name="blindedMessage">The blinded message.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The account, or null when no withdrawal carried it (swap outputs name no account).</returns>
    ValueTask<AccountId?> FindWithdrawingAccountAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken);

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
