using Wallet.Protocol.Ledger;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// A decorator over a real store that makes the next write transaction fail at a chosen point, so tests can
/// show that a failed operation moved nothing (or, after commit, that a retry with the same key finds it).
/// </summary>
public sealed class FaultInjectingLedgerStore(ILedgerStore inner) : ILedgerStore
{
    public StoreFault NextFault { get; set; }

    /// <summary>Whether the last armed fault actually fired (an append fault fires only if the operation appends).</summary>
    public bool Fired { get; private set; }

    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var fault = NextFault;
        NextFault = StoreFault.None;
        Fired = false;
        var transaction = await inner.BeginWriteAsync(cancellationToken);
        return fault == StoreFault.None ? transaction : new Faulty(transaction, fault, this);
    }

    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

    private sealed class Faulty(ILedgerWriteTransaction inner, StoreFault fault, FaultInjectingLedgerStore owner) : ILedgerWriteTransaction
    {
        public async ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            if (fault == StoreFault.OnAppend)
            {
                owner.Fired = true;
                throw new LedgerStoreException("injected: disk I/O error while appending");
            }

            await inner.AppendAsync(entry, cancellationToken);
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (fault == StoreFault.BeforeCommit)
            {
                owner.Fired = true;
                throw new LedgerStoreException("injected: commit failed");
            }

            await inner.CommitAsync(cancellationToken);
            if (fault == StoreFault.AfterCommit)
            {
                owner.Fired = true;
                throw new LedgerStoreException("injected: connection lost after commit");
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
