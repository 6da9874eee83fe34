using Wallet.Protocol;
using Wallet.Protocol.Ledger;

namespace Wallet.Storage.Sqlite.CrashWorker;

/// <summary>Passes everything to the real store and gives <see cref="CrashPoint"/> its moments inside a write.</summary>
internal sealed class CrashingLedgerStore(ILedgerStore inner, CrashPoint crash) : ILedgerStore
{
    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        var tx = await inner.BeginWriteAsync(cancellationToken);
        crash.BeginWrite();
        return new Transaction(tx, crash);
    }

    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

    private sealed class Transaction(ILedgerWriteTransaction inner, CrashPoint crash) : ILedgerWriteTransaction
    {
        public async ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            await inner.AppendAsync(entry, cancellationToken);
            crash.At("after-append");
        }

        public async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            await inner.CommitAsync(cancellationToken);
            crash.At("after-commit");
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
