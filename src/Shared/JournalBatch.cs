namespace Wallet.Storage;

/// <summary>
/// What the SQL stores share when they append a payroll batch in a few statements (this file is compiled into
/// Wallet.Storage.Sqlite and Wallet.Storage.Postgres): the argument checks, the check that the entries chain from the head one after another,
/// and each account's net change over them.
/// </summary>
internal static class JournalBatch
{
    /// <summary>Refuses a batch that is, or holds, null (<c>ILedgerWriteTransaction.AppendBatchAsync</c>'s arguments).</summary>
    /// <param name="entries">The entries.</param>
    /// <param name="outcomes">The outcomes.</param>
    /// <exception cref="ArgumentNullException">Either list, or an item of it, is null.</exception>
    public static void RequireItems(IReadOnlyList<JournalEntry> entries, IReadOnlyList<IdempotencyRecord> outcomes)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var entry in entries)
        {
            ArgumentNullException.ThrowIfNull(entry, nameof(entries));
        }

        foreach (var outcome in outcomes)
        {
            ArgumentNullException.ThrowIfNull(outcome, nameof(outcomes));
        }
    }

    /// <summary>Checks that <paramref name="entries"/> chain from <paramref name="head"/> and sums their postings per account.</summary>
    /// <param name="head">The journal head the first entry must follow.</param>
    /// <param name="entries">The entries, in order.</param>
    /// <returns>The head after the last entry, and each account's net change (which may exceed 64 bits).</returns>
    /// <exception cref="LedgerStoreException">An entry does not follow the one before it (or the head).</exception>
    public static (JournalHead Head, Dictionary<LedgerAccount, Int128> Net) Chain(JournalHead head, IReadOnlyList<JournalEntry> entries)
    {
        var net = new Dictionary<LedgerAccount, Int128>();
        foreach (var entry in entries)
        {
            if (entry.Sequence != head.Sequence + 1 || entry.PreviousHash != head.Hash)
            {
                throw new LedgerStoreException($"Entry {entry.Sequence} does not chain to the journal head (entry {head.Sequence}).");
            }

            head = new JournalHead(entry.Sequence, entry.Hash);
            foreach (var posting in entry.Postings)
            {
                net[posting.Account] = net.GetValueOrDefault(posting.Account) + posting.Delta;
            }
        }

        return (head, net);
    }
}
