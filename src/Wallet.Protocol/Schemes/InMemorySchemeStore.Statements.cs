namespace Wallet.Protocol.Schemes;

// Contribution records and the withdrawals a statement lists (docs/PROTOCOL.md 5.23).
public sealed partial class InMemorySchemeStore
{
    private readonly Dictionary<IdempotencyKey, ContributionRecord> _contributions = [];

    /// <inheritdoc/>
    public ValueTask PutContributionRecordsAsync(IReadOnlyList<ContributionRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        cancellationToken.ThrowIfCancellationRequested();
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
        }

        lock (_lock)
        {
            foreach (var record in records)
            {
                _contributions.TryAdd(record.LedgerKey, record);
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<ContributionRecord?> GetContributionRecordAsync(IdempotencyKey ledgerKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgerKey);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult(_contributions.GetValueOrDefault(ledgerKey));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ContributionRecord>> ListContributionRecordsAsync(AccountId worker, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<ContributionRecord>>([.. _contributions.Values
                .Where(r => r.Worker == worker && r.RecordedAt >= from && r.RecordedAt < to)
                .OrderBy(r => r.RecordedAt).ThenBy(r => r.LedgerKey.Value, StringComparer.Ordinal)
                .Take(limit)]);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WithdrawalReceipt>> ListWithdrawalReceiptsAsync(AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_lock)
        {
            return ValueTask.FromResult<IReadOnlyList<WithdrawalReceipt>>([.. _withdrawals
                .Where(w => w.Key.Item1 == account)
                .Select(w => WithdrawalResponse.Decode(w.Value.Response).Receipt)]);
        }
    }
}
