using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Statements;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;

namespace Scheme.Server.FaultInjection;

/// <summary>
/// The scheme store, dying at <see cref="CrashPoint.AfterSigning"/> before a log entry's bytes are stored and at
/// <see cref="CrashPoint.BeforeResponse"/> before a withdrawal, deposit or swap response is stored.
/// </summary>
internal sealed class CrashingSchemeStore(ISchemeStore inner, CrashPoint crash) : ISchemeStore
{
    public ValueTask PutLogEntryAsync(ulong index, LogEntry entry, string operation, CancellationToken cancellationToken)
    {
        crash.Logging = CrashPoint.FlowOf(entry.Kind);
        crash.Reached(CrashPoint.AfterSigning, crash.Logging, $"{entry.Kind} entry not yet stored");
        return inner.PutLogEntryAsync(index, entry, operation, cancellationToken);
    }

    public ValueTask PutWithdrawalAsync(WithdrawalRequest request, WithdrawalResponse response, CancellationToken cancellationToken)
    {
        crash.Reached(CrashPoint.BeforeResponse, "withdrawal", "response not yet stored");
        return inner.PutWithdrawalAsync(request, response, cancellationToken);
    }

    public ValueTask PutDepositAsync(StoredDeposit deposit, CancellationToken cancellationToken)
    {
        crash.Reached(CrashPoint.BeforeResponse, "deposit", "receipt not yet stored");
        return inner.PutDepositAsync(deposit, cancellationToken);
    }

    public ValueTask PutSwapAsync(IdempotencyKey key, StoredSwap swap, IReadOnlyList<BlindedMessage> outputs, IReadOnlyList<SwapSpend> spends, CancellationToken cancellationToken)
    {
        crash.Reached(CrashPoint.BeforeResponse, "swap", "response not yet stored");
        return inner.PutSwapAsync(key, swap, outputs, spends, cancellationToken);
    }

    public ValueTask<ulong?> FindLogIndexAsync(string operation, CancellationToken cancellationToken) => inner.FindLogIndexAsync(operation, cancellationToken);

    public ValueTask<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken) => inner.GetLogEntryAsync(index, cancellationToken);

    public ValueTask PutAccountKeyAsync(AccountId account, Ed25519PublicKey key, CancellationToken cancellationToken) => inner.PutAccountKeyAsync(account, key, cancellationToken);

    public ValueTask<Ed25519PublicKey?> GetAccountKeyAsync(AccountId account, CancellationToken cancellationToken) => inner.GetAccountKeyAsync(account, cancellationToken);

    public ValueTask<StoredWithdrawal?> GetWithdrawalAsync(AccountId account, IdempotencyKey key, CancellationToken cancellationToken) => inner.GetWithdrawalAsync(account, key, cancellationToken);

    public ValueTask<BlindSignature?> FindBlindSignatureAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken) => inner.FindBlindSignatureAsync(blindedMessage, cancellationToken);

    public ValueTask<AccountId?> FindWithdrawingAccountAsync(BlindedMessage blindedMessage, CancellationToken cancellationToken) => inner.FindWithdrawingAccountAsync(blindedMessage, cancellationToken);

    public ValueTask<StoredDeposit?> GetDepositAsync(AccountId provider, IdempotencyKey key, CancellationToken cancellationToken) => inner.GetDepositAsync(provider, key, cancellationToken);

    public ValueTask<StoredSwap?> GetSwapAsync(IdempotencyKey key, CancellationToken cancellationToken) => inner.GetSwapAsync(key, cancellationToken);

    public ValueTask<SwapSpend?> GetSwapSpendAsync(CoinId coin, CancellationToken cancellationToken) => inner.GetSwapSpendAsync(coin, cancellationToken);

    public ValueTask PutRefundClaimAsync(IdempotencyKey key, StoredRefundClaim claim, CancellationToken cancellationToken) => inner.PutRefundClaimAsync(key, claim, cancellationToken);

    public ValueTask PutRefundResponseAsync(IdempotencyKey key, RefundClaimResponse response, CancellationToken cancellationToken) => inner.PutRefundResponseAsync(key, response, cancellationToken);

    public ValueTask<StoredRefundClaim?> GetRefundClaimAsync(IdempotencyKey key, CancellationToken cancellationToken) => inner.GetRefundClaimAsync(key, cancellationToken);

    public ValueTask<IdempotencyKey?> FindRefundClaimAsync(RefundId refund, CancellationToken cancellationToken) => inner.FindRefundClaimAsync(refund, cancellationToken);

    public ValueTask<IdempotencyKey?> FindCoinRefundAsync(CoinId coin, CancellationToken cancellationToken) => inner.FindCoinRefundAsync(coin, cancellationToken);

    public ValueTask PutContributionRecordsAsync(IReadOnlyList<ContributionRecord> records, CancellationToken cancellationToken) => inner.PutContributionRecordsAsync(records, cancellationToken);

    public ValueTask<ContributionRecord?> GetContributionRecordAsync(IdempotencyKey ledgerKey, CancellationToken cancellationToken) => inner.GetContributionRecordAsync(ledgerKey, cancellationToken);

    public ValueTask<IReadOnlyList<ContributionRecord>> ListContributionRecordsAsync(AccountId worker, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken) => inner.ListContributionRecordsAsync(worker, from, to, limit, cancellationToken);

    public ValueTask<IReadOnlyList<WithdrawalReceipt>> ListWithdrawalReceiptsAsync(AccountId account, CancellationToken cancellationToken) => inner.ListWithdrawalReceiptsAsync(account, cancellationToken);

    public ValueTask PutSpendsAsync(IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken) => inner.PutSpendsAsync(spends, cancellationToken);

    public ValueTask<CoinSpend?> GetSpendAsync(CoinId coin, CancellationToken cancellationToken) => inner.GetSpendAsync(coin, cancellationToken);

    public ValueTask PutKeysetAsync(StoredKeyset keyset, CancellationToken cancellationToken) => inner.PutKeysetAsync(keyset, cancellationToken);

    public ValueTask<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken) => inner.RevokeKeysetAsync(keyset, cancellationToken);

    public ValueTask<StoredKeyset?> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken) => inner.GetKeysetAsync(keyset, cancellationToken);

    public ValueTask<IReadOnlyList<StoredKeyset>> ListKeysetsAsync(CancellationToken cancellationToken) => inner.ListKeysetsAsync(cancellationToken);

    public ValueTask PutRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken) => inner.PutRegistryAsync(registry, cancellationToken);

    public ValueTask<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken) => inner.ListRegistriesAsync(cancellationToken);
}
