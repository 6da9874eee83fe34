using Wallet.Protocol;
using Wallet.Protocol.Ledger;

namespace Scheme.Server.FaultInjection;

/// <summary>
/// The ledger store, dying at <see cref="CrashPoint.AfterDebit"/> once a write transaction that appended a withdrawal,
/// deposit or swap entry is committed (operator entries, contributions and expiries pass).
/// </summary>
internal sealed class CrashingLedgerStore(ILedgerStore inner, CrashPoint crash) : ILedgerStore
{
    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken) =>
        new CrashingWriteTransaction(await inner.BeginWriteAsync(cancellationToken).ConfigureAwait(false), crash);

    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

    private sealed class CrashingWriteTransaction(ILedgerWriteTransaction inner, CrashPoint crash) : ILedgerWriteTransaction
    {
        private EntryKind? _flowEntry;

        public ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            if (entry?.Kind is EntryKind.Withdrawal or EntryKind.Deposit or EntryKind.Swap)
            {
                _flowEntry = entry.Kind;
            }

            return inner.AppendAsync(entry!, cancellationToken);
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            await inner.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (_flowEntry is { } kind)
            {
                crash.Reached(CrashPoint.AfterDebit, kind.ToString().ToLowerInvariant(), "its ledger entry committed");
            }
        }

        public ValueTask RecordOutcomeAsync(IdempotencyRecord record, CancellationToken cancellationToken) => inner.RecordOutcomeAsync(record, cancellationToken);

        public ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken) => inner.GetHeadAsync(cancellationToken);

        public ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken) => inner.GetBalanceAsync(account, cancellationToken);

        public ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken) => inner.GetKeysetAsync(keyset, cancellationToken);

        public ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken) => inner.FindOutcomeAsync(key, cancellationToken);

        public ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken) => inner.FindSpentAsync(coin, cancellationToken);

        public ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken) => inner.FindSpentAsync(coins, cancellationToken);

        public ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken) => inner.GetEntryAsync(sequence, cancellationToken);

        public IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, CancellationToken cancellationToken) => inner.ReadJournalAsync(fromSequence, cancellationToken);

        public IAsyncEnumerable<AccountBalance> ReadBalancesAsync(CancellationToken cancellationToken) => inner.ReadBalancesAsync(cancellationToken);

        public IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync(CancellationToken cancellationToken) => inner.ReadKeysetsAsync(cancellationToken);

        public ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken) => inner.CountSpentCoinsAsync(cancellationToken);

        public ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken) => inner.CountEntryOutcomesAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
