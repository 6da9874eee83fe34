namespace Wallet.Protocol.Ledger;

// The reads: one snapshot each, nothing written.
public sealed partial class SchemeLedger
{
    /// <summary>An account's committed balance.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The balance in minor units; zero for an account never posted to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="account"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await tx.GetBalanceAsync(account, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A keyset's committed conservation counters.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await tx.GetKeysetAsync(keyset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entry that spent a coin (for restore: "which of my coins are spent?").</summary>
    /// <param name="coin">The coin.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry's sequence number, or <see langword="null"/> when unspent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="coin"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coin);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await tx.FindSpentAsync(coin, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entries that spent any of the coins, read in one snapshot (a deposit judging its batch).</summary>
    /// <param name="coins">The coins.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The spent coins, each with the sequence number of the entry that spent it.</returns>
    internal async Task<IReadOnlyDictionary<CoinId, long>> FindSpentAsync(IReadOnlyCollection<CoinId> coins, CancellationToken cancellationToken)
    {
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await tx.FindSpentAsync(coins, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entry applied under an idempotency key (so a caller finishing a crashed multi-step operation can read what was committed).</summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> when nothing was applied under the key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<JournalEntry?> FindEntryAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var outcome = await tx.FindOutcomeAsync(key, cancellationToken).ConfigureAwait(false);
        return outcome is { Status: LedgerStatus.Applied, EntrySequence: long sequence }
            ? await tx.GetEntryAsync(sequence, cancellationToken).ConfigureAwait(false)
            : null;
    }

    // Streams the committed journal from one snapshot (the scheme's scan for withdrawals to reverse, docs/PROTOCOL.md 5.3).
    internal async IAsyncEnumerable<JournalEntry> ReadJournalAsync([System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entry in tx.ReadJournalAsync(1, cancellationToken).ConfigureAwait(false))
        {
            yield return entry;
        }
    }

    /// <summary>The committed journal head (for checkpoints in the transparency log).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The head.</returns>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<JournalHead> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await tx.GetHeadAsync(cancellationToken).ConfigureAwait(false);
    }
}
