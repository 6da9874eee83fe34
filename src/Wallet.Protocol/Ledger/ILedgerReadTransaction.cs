namespace Wallet.Protocol.Ledger;

/// <summary>Reads from one consistent snapshot of a <see cref="ILedgerStore"/>. Every method may throw <see cref="LedgerStoreException"/>.</summary>
public interface ILedgerReadTransaction : IAsyncDisposable
{
    /// <summary>The last entry's sequence number and hash.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The head; <see cref="JournalHead.Empty"/> for an empty journal.</returns>
    ValueTask<JournalHead> GetHeadAsync(CancellationToken cancellationToken);

    /// <summary>An account's materialised balance.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The balance; zero for an account never posted to.</returns>
    ValueTask<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken);

    /// <summary>A keyset's materialised conservation counters.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counters; <see cref="KeysetTotals.Empty"/> for a keyset never mentioned.</returns>
    ValueTask<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken);

    /// <summary>The stored outcome for an idempotency key.</summary>
    /// <param name="key">The key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The record, or <see langword="null"/> when the key is unused.</returns>
    ValueTask<IdempotencyRecord?> FindOutcomeAsync(IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>The sequence number of the entry that spent a coin.</summary>
    /// <param name="coin">The coin.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry's sequence number, or <see langword="null"/> when the coin is unspent.</returns>
    ValueTask<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken);

    /// <summary>The entries that spent any of several coins, in one round trip.</summary>
    /// <param name="coins">The coins.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>For each spent coin among <paramref name="coins"/>, the sequence number of the entry that spent it; unspent coins are absent.</returns>
    ValueTask<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken);

    /// <summary>One journal entry.</summary>
    /// <param name="sequence">Its sequence number.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> when there is none with that number.</returns>
    ValueTask<JournalEntry?> GetEntryAsync(long sequence, CancellationToken cancellationToken);

    /// <summary>Streams the journal in sequence order; memory use does not grow with the journal's length.</summary>
    /// <param name="fromSequence">The first sequence number to return.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The entries.</returns>
    IAsyncEnumerable<JournalEntry> ReadJournalAsync(long fromSequence, CancellationToken cancellationToken);

    /// <summary>Streams every materialised non-zero balance, ordered by account.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The balances.</returns>
    IAsyncEnumerable<AccountBalance> ReadBalancesAsync(CancellationToken cancellationToken);

    /// <summary>Streams every keyset's materialised counters, ordered by keyset id.</summary>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The counters.</returns>
    IAsyncEnumerable<KeysetTotals> ReadKeysetsAsync(CancellationToken cancellationToken);

    /// <summary>The number of coins recorded as spent.</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count.</returns>
    ValueTask<long> CountSpentCoinsAsync(CancellationToken cancellationToken);

    /// <summary>The number of stored outcomes that name a journal entry (refusals name none).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The count.</returns>
    ValueTask<long> CountEntryOutcomesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Streams a worker's materialised non-zero sub-balances: its <see cref="LedgerAccountKind.Worker"/> account and its
    /// <see cref="LedgerAccountKind.WorkerFund"/> accounts (docs/PROTOCOL.md section 5.22), ordered by account.
    /// </summary>
    /// <param name="worker">The worker.</param>
    /// <param name="cancellationToken">Cancels the enumeration.</param>
    /// <returns>The balances. The default filters <see cref="ReadBalancesAsync(CancellationToken)"/>; a store with an index overrides it.</returns>
    IAsyncEnumerable<AccountBalance> ReadWorkerBalancesAsync(AccountId worker, CancellationToken cancellationToken) =>
        FilterWorker(ReadBalancesAsync(cancellationToken), worker, cancellationToken);

    private static async IAsyncEnumerable<AccountBalance> FilterWorker(
        IAsyncEnumerable<AccountBalance> balances, AccountId worker, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var balance in balances.WithCancellation(cancellationToken).ConfigureAwait(false))
        {
            if (balance.Account.GetWorker() == worker)
            {
                yield return balance;
            }
        }
    }
}
