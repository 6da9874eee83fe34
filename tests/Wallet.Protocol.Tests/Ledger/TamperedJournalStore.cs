using System.Runtime.CompilerServices;
using Wallet.Protocol.Ledger;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// A real store whose read transactions serve a journal, materialised balances or keyset counters that someone with
/// write access to the storage has altered, while every other read (spent coins, outcomes, head, counts) comes from
/// the real store. The store contract offers no way to write an entry that does not chain or balance, so this is how
/// <see cref="SchemeLedger.VerifyAsync(CancellationToken)"/> is shown each kind of damage on every store.
/// </summary>
public sealed class TamperedJournalStore(ILedgerStore inner) : ILedgerStore
{
    /// <summary>Rewrites the journal as read (all entries, in order); null serves it unchanged.</summary>
    public Func<IReadOnlyList<JournalEntry>, IEnumerable<JournalEntry>>? Journal { get; init; }

    /// <summary>Rewrites the materialised balances as read; null serves them unchanged.</summary>
    public Func<IReadOnlyList<AccountBalance>, IEnumerable<AccountBalance>>? Balances { get; init; }

    /// <summary>Rewrites the keyset counters as read; null serves them unchanged.</summary>
    public Func<IReadOnlyList<KeysetTotals>, IEnumerable<KeysetTotals>>? Keysets { get; init; }

    public ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken) => inner.BeginWriteAsync(cancellationToken);

    public async ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) =>
        new Tampered(await inner.BeginReadAsync(cancellationToken), this);

    private static async IAsyncEnumerable<T> Serve<T>(IAsyncEnumerable<T> real, Func<IReadOnlyList<T>, IEnumerable<T>>? rewrite, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        var items = new List<T>();
        await foreach (var item in real.WithCancellation(cancellationToken))
        {
            items.Add(item);
        }

        foreach (var item in rewrite is null ? items : rewrite(items))
        {
            yield return item;
        }
    }

    private sealed class Tampered(ILedgerReadTransaction inner, TamperedJournalStore owner) : ILedgerReadTransaction
    {
        public IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, CancellationToken cancellationToken) =>
            Serve(inner.ReadJournalAsync(fromSequence, cancellationToken), owner.Journal, cancellationToken);

        public IAsyncEnumerable<AccountBalance> ReadBalancesAsync(CancellationToken cancellationToken) =>
            Serve(inner.ReadBalancesAsync(cancellationToken), owner.Balances, cancellationToken);

        public IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync(CancellationToken cancellationToken) =>
            Serve(inner.ReadKeysetsAsync(cancellationToken), owner.Keysets, cancellationToken);

        public ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken) => inner.GetHeadAsync(cancellationToken);

        public ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken) => inner.GetBalanceAsync(account, cancellationToken);

        public ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken) => inner.GetKeysetAsync(keyset, cancellationToken);

        public ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken) => inner.FindOutcomeAsync(key, cancellationToken);

        public ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken) => inner.FindSpentAsync(coin, cancellationToken);

        public ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken) => inner.FindSpentAsync(coins, cancellationToken);

        public ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken) => inner.GetEntryAsync(sequence, cancellationToken);

        public ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken) => inner.CountSpentCoinsAsync(cancellationToken);

        public ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken) => inner.CountEntryOutcomesAsync(cancellationToken);

        public ValueTask DisposeAsync() => inner.DisposeAsync();
    }
}
