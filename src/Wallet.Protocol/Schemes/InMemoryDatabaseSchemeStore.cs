namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme store of an <see cref="InMemorySchemeDatabase"/>: inside an operation, the operation's copy of the tables
/// (taken at its first write; its reads use the committed store until then, which no one changes while it runs);
/// outside any, the committed store, writes waiting for the running operation to finish.
/// </summary>
/// <param name="database">The database.</param>
internal sealed class InMemoryDatabaseSchemeStore(InMemorySchemeDatabase database) : ISchemeStore
{
    /// <inheritdoc/>
    public ValueTask PutKeysetAsync(StoredKeyset keyset, CancellationToken cancellationToken) =>
        Write(store => store.PutKeysetAsync(keyset, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken) =>
        Write(store => store.RevokeKeysetAsync(keyset, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StoredKeyset?> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken) => Read().GetKeysetAsync(keyset, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<StoredKeyset>> ListKeysetsAsync(CancellationToken cancellationToken) => Read().ListKeysetsAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutAccountKeyAsync(AccountId account, Ed25519PublicKey key, CancellationToken cancellationToken) =>
        Write(store => store.PutAccountKeyAsync(account, key, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<Ed25519PublicKey?> GetAccountKeyAsync(AccountId account, CancellationToken cancellationToken) => Read().GetAccountKeyAsync(account, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<bool> HasAccountAsync(AccountId account, CancellationToken cancellationToken) => Read().HasAccountAsync(account, cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutWithdrawalAsync(WithdrawalRequest request, WithdrawalResponse response, CancellationToken cancellationToken) =>
        Write(store => store.PutWithdrawalAsync(request, response, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StoredWithdrawal?> GetWithdrawalAsync(AccountId account, IdempotencyKey key, CancellationToken cancellationToken) => Read().GetWithdrawalAsync(account, key, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<BlindSignature?> FindBlindSignatureAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken) => Read().FindBlindSignatureAsync(blindedMessage, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<AccountId?> FindWithdrawingAccountAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken) => Read().FindWithdrawingAccountAsync(blindedMessage, cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutSpendsAsync(IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken) =>
        Write(store => store.PutSpendsAsync(spends, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<CoinSpend?> GetSpendAsync(CoinId coin, CancellationToken cancellationToken) => Read().GetSpendAsync(coin, cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutDepositAsync(StoredDeposit deposit, CancellationToken cancellationToken) =>
        Write(store => store.PutDepositAsync(deposit, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StoredDeposit?> GetDepositAsync(AccountId provider, IdempotencyKey key, CancellationToken cancellationToken) => Read().GetDepositAsync(provider, key, cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutLogEntryAsync(ulong index, LogEntry entry, string operation, CancellationToken cancellationToken) =>
        Write(store => store.PutLogEntryAsync(index, entry, operation, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ulong?> FindLogIndexAsync(string operation, CancellationToken cancellationToken) => Read().FindLogIndexAsync(operation, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken) => Read().GetLogEntryAsync(index, cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken) =>
        Write(store => store.PutRegistryAsync(registry, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken) => Read().ListRegistriesAsync(cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutSwapAsync(IdempotencyKey key, StoredSwap swap, IReadOnlyList<BlindedMessage> outputs, IReadOnlyList<SwapSpend> spends, CancellationToken cancellationToken) =>
        Write(store => store.PutSwapAsync(key, swap, outputs, spends, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StoredSwap?> GetSwapAsync(IdempotencyKey key, CancellationToken cancellationToken) => Read().GetSwapAsync(key, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<SwapSpend?> GetSwapSpendAsync(CoinId coin, CancellationToken cancellationToken) => Read().GetSwapSpendAsync(coin, cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutRefundClaimAsync(IdempotencyKey key, StoredRefundClaim claim, CancellationToken cancellationToken) =>
        Write(store => store.PutRefundClaimAsync(key, claim, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutRefundResponseAsync(IdempotencyKey key, RefundClaimResponse response, CancellationToken cancellationToken) =>
        Write(store => store.PutRefundResponseAsync(key, response, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<StoredRefundClaim?> GetRefundClaimAsync(IdempotencyKey key, CancellationToken cancellationToken) => Read().GetRefundClaimAsync(key, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IdempotencyKey?> FindRefundClaimAsync(RefundId refund, CancellationToken cancellationToken) => Read().FindRefundClaimAsync(refund, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IdempotencyKey?> FindCoinRefundAsync(CoinId coin, CancellationToken cancellationToken) => Read().FindCoinRefundAsync(coin, cancellationToken);

    /// <inheritdoc/>
    public ValueTask PutContributionRecordsAsync(IReadOnlyList<ContributionRecord> records, CancellationToken cancellationToken) =>
        Write(store => store.PutContributionRecordsAsync(records, cancellationToken), cancellationToken);

    /// <inheritdoc/>
    public ValueTask<ContributionRecord?> GetContributionRecordAsync(IdempotencyKey ledgerKey, CancellationToken cancellationToken) => Read().GetContributionRecordAsync(ledgerKey, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ContributionRecord>> ListContributionRecordsAsync(AccountId worker, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) => Read().ListContributionRecordsAsync(worker, from, to, limit, cancellationToken);

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WithdrawalReceipt>> ListWithdrawalReceiptsAsync(AccountId account, CancellationToken cancellationToken) => Read().ListWithdrawalReceiptsAsync(account, cancellationToken);

    private InMemorySchemeStore Read() => database.Operation?.SchemeToRead ?? database.Current.Scheme;

    // A write: to the running operation's copy, or, outside any, to the committed store once no operation runs.
    private ValueTask Write(Func<InMemorySchemeStore, ValueTask> write, CancellationToken cancellationToken) =>
        database.Operation is { } running ? write(running.SchemeToWrite) : database.WriteOutsideAsync(committed => write(committed.Scheme), cancellationToken);

    private ValueTask<T> Write<T>(Func<InMemorySchemeStore, ValueTask<T>> write, CancellationToken cancellationToken) =>
        database.Operation is { } running ? write(running.SchemeToWrite) : database.WriteOutsideAsync(committed => write(committed.Scheme), cancellationToken);
}
