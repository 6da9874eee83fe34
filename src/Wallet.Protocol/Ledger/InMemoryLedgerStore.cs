using System.Runtime.CompilerServices;

namespace Wallet.Protocol.Ledger;

/// <summary>
/// A ledger store held in memory, for tests and tools. Same behaviour contract as the durable stores: one
/// writer at a time, all-or-nothing commits, snapshot reads; nothing survives the process.
/// </summary>
/// <remarks>Entries are kept in their canonical encoding and decoded on read, as a durable store would.</remarks>
public sealed class InMemoryLedgerStore : ILedgerStore
{
    private readonly SemaphoreSlim _writer = new(1, 1);
    private readonly Lock _publish = new();
    private State _state = State.Empty;

    /// <inheritdoc />
    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        await _writer.WaitAsync(cancellationToken).ConfigureAwait(false);
        return new WriteTransaction(this, Snapshot());
    }

    /// <inheritdoc />
    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken)
    {
        cancellationToken.ThrowIfCancellationRequested();
        return ValueTask.FromResult<ILedgerReadTransaction>(new ReadTransaction(Snapshot()));
    }

    /// <summary>
    /// A new store that starts from this one's committed state and then goes its own way: an operation's working ledger
    /// in an <see cref="InMemorySchemeDatabase"/>, published by swapping stores at the operation's commit. The state is
    /// immutable, so the fork costs nothing whatever the journal's length.
    /// </summary>
    internal InMemoryLedgerStore Fork() => new() { _state = Snapshot() };

    private State Snapshot()
    {
        lock (_publish)
        {
            return _state;
        }
    }

    private void Publish(State state)
    {
        lock (_publish)
        {
            _state = state;
        }
    }

    private sealed record State(
        ImmutableList<byte[]> Journal,
        JournalHead Head,
        ImmutableDictionary<LedgerAccount, long> Balances,
        ImmutableDictionary<KeysetId, KeysetTotals> Keysets,
        ImmutableDictionary<CoinId, long> Spent,
        ImmutableDictionary<IdempotencyKey, IdempotencyRecord> Outcomes)
    {
        public static State Empty { get; } = new(
            [],
            JournalHead.Empty,
            ImmutableDictionary<LedgerAccount, long>.Empty,
            ImmutableDictionary<KeysetId, KeysetTotals>.Empty,
            ImmutableDictionary<CoinId, long>.Empty,
            ImmutableDictionary<IdempotencyKey, IdempotencyRecord>.Empty);
    }

    private class ReadTransaction(State state) : ILedgerReadTransaction
    {
        protected State Current { get; set; } = state;

        public ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken) => Done(Current.Head, cancellationToken);

        public ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(account);
            return Done(Current.Balances.GetValueOrDefault(account), cancellationToken);
        }

        public ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(keyset);
            return Done(Current.Keysets.TryGetValue(keyset, out var totals) ? totals : KeysetTotals.Empty(keyset), cancellationToken);
        }

        public ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(key);
            return Done(Current.Outcomes.GetValueOrDefault(key), cancellationToken);
        }

        public ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(coin);
            return Done(Current.Spent.TryGetValue(coin, out long sequence) ? sequence : (long?)null, cancellationToken);
        }

        public ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(coins);
            var found = new Dictionary<CoinId, long>();
            foreach (var coin in coins)
            {
                ArgumentNullException.ThrowIfNull(coin, nameof(coins));
                if (Current.Spent.TryGetValue(coin, out long sequence))
                {
                    found[coin] = sequence;
                }
            }

            return Done<IReadOnlyDictionary<CoinId, long>>(found, cancellationToken);
        }

        public ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken) =>
            Done(sequence >= 1 && sequence <= Current.Journal.Count ? Decode(Current.Journal[(int)(sequence - 1)]) : null, cancellationToken);

        public async IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, [EnumeratorCancellation] CancellationToken cancellationToken)
        {
            var journal = Current.Journal;
            for (long i = Math.Max(fromSequence, 1); i <= journal.Count; i++)
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return Decode(journal[(int)(i - 1)]);
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public async IAsyncEnumerable<AccountBalance> ReadBalancesAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var (account, balance) in Current.Balances.Where(b => b.Value != 0).OrderBy(b => b.Key))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return new AccountBalance(account, balance);
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public async IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync([EnumeratorCancellation] CancellationToken cancellationToken)
        {
            foreach (var totals in Current.Keysets.Values.OrderBy(k => k.Keyset))
            {
                cancellationToken.ThrowIfCancellationRequested();
                yield return totals;
            }

            await Task.CompletedTask.ConfigureAwait(false);
        }

        public ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken) => Done((long)Current.Spent.Count, cancellationToken);

        public ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken) =>
            Done((long)Current.Outcomes.Values.Count(o => o.EntrySequence is not null), cancellationToken);

        public virtual ValueTask DisposeAsync() => ValueTask.CompletedTask;

        private static ValueTask<T> Done<T>(T value, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            return ValueTask.FromResult(value);
        }

        private static JournalEntry Decode(byte[] encoded) =>
            JournalEntry.TryDecode(encoded, out var entry) ? entry : throw new LedgerStoreException("A stored journal entry does not decode.");
    }

    private sealed class WriteTransaction(InMemoryLedgerStore store, State state) : ReadTransaction(state), ILedgerWriteTransaction
    {
        private bool _finished;
        private bool _failed;

        public ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(entry);
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfFinished();
            var s = Current;
            if (entry.Sequence != s.Head.Sequence + 1 || entry.PreviousHash != s.Head.Hash)
            {
                _failed = true;
                throw new LedgerStoreException($"Entry {entry.Sequence} does not chain to the journal head (entry {s.Head.Sequence}).");
            }

            var spent = s.Spent.ToBuilder();
            foreach (var coin in entry.SpentCoins)
            {
                if (!spent.TryAdd(coin.Coin, entry.Sequence))
                {
                    _failed = true;
                    throw new LedgerStoreException($"Coin {coin.Coin} is already recorded spent.");
                }
            }

            var balances = s.Balances.ToBuilder();
            try
            {
                foreach (var posting in entry.Postings)
                {
                    balances[posting.Account] = checked(balances.GetValueOrDefault(posting.Account) + posting.Delta);
                }
            }
            catch (OverflowException)
            {
                _failed = true;
                throw new LedgerStoreException($"Entry {entry.Sequence} would take an account beyond the range of a 64-bit integer.");
            }

            var keysets = s.Keysets.ToBuilder();
            foreach (var effect in entry.KeysetEffects)
            {
                keysets[effect.Keyset] = (keysets.TryGetValue(effect.Keyset, out var t) ? t : KeysetTotals.Empty(effect.Keyset)).Apply(effect);
            }

            Current = s with
            {
                Journal = s.Journal.Add(entry.Encode()),
                Head = new JournalHead(entry.Sequence, entry.Hash),
                Balances = balances.ToImmutable(),
                Keysets = keysets.ToImmutable(),
                Spent = spent.ToImmutable(),
            };
            return ValueTask.CompletedTask;
        }

        public ValueTask RecordOutcomeAsync(IdempotencyRecord record, CancellationToken cancellationToken)
        {
            ArgumentNullException.ThrowIfNull(record);
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfFinished();
            if (Current.Outcomes.ContainsKey(record.Key))
            {
                _failed = true;
                throw new LedgerStoreException($"An outcome is already stored under '{record.Key}'.");
            }

            var copy = record with { RequestHash = record.RequestHash.ToArray(), Conflicts = [.. record.Conflicts] };
            Current = Current with { Outcomes = Current.Outcomes.Add(record.Key, copy) };
            return ValueTask.CompletedTask;
        }

        public ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            ThrowIfFinished();
            if (_failed)
            {
                throw new LedgerStoreException("A write of this transaction failed; it can only be rolled back.");
            }

            store.Publish(Current);
            Finish();
            return ValueTask.CompletedTask;
        }

        public override ValueTask DisposeAsync()
        {
            Finish();
            return ValueTask.CompletedTask;
        }

        private void Finish()
        {
            if (!_finished)
            {
                _finished = true;
                store._writer.Release();
            }
        }

        private void ThrowIfFinished() => ObjectDisposedException.ThrowIf(_finished, this);
    }
}
