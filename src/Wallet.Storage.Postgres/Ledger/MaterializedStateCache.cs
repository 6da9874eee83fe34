namespace Wallet.Storage.Postgres.Ledger;

/// <summary>
/// Balances and keyset counters as they stood at one journal head, kept between a store's write transactions
/// so a writer that finds the head unchanged since this process's last commit need not read them again.
/// </summary>
/// <remarks>
/// Sound because every change to the materialised state is an appended entry, which moves the head (a hash
/// chain: sequence and hash both compared), and a writer reads the cache only after locking the head row. A
/// commit by any other process or node moves the head and so empties the cache's usefulness; a commit whose
/// outcome is unknown, a rebuild and an archive clear it. Out-of-band edits to the materialised tables (which
/// are a cache of the journal, docs/scaling.md) are not seen until the head moves; <c>VerifyAsync</c> reads
/// the tables, not this cache. Bounded: it starts over when it outgrows <see cref="Capacity"/> entries.
/// </remarks>
internal sealed class MaterializedStateCache
{
    /// <summary>The most entries held; beyond it the cache starts over from the last transaction's values.</summary>
    public const int Capacity = 100_000;

    private readonly Lock _lock = new();
    private readonly Dictionary<LedgerAccount, long> _balances = [];
    private readonly Dictionary<KeysetId, KeysetTotals> _keysets = [];
    private JournalHead? _head;

    /// <summary>The head the cached values are exact at, or null when nothing is cached.</summary>
    public JournalHead? Head
    {
        get
        {
            lock (_lock)
            {
                return _head;
            }
        }
    }

    /// <summary>The balance at <paramref name="head"/>, if known.</summary>
    public bool TryGetBalance(JournalHead head, LedgerAccount account, out long balance)
    {
        lock (_lock)
        {
            balance = 0;
            return head == _head && _balances.TryGetValue(account, out balance);
        }
    }

    /// <summary>The keyset's counters at <paramref name="head"/>, if known.</summary>
    public bool TryGetKeyset(JournalHead head, KeysetId keyset, out KeysetTotals? totals)
    {
        lock (_lock)
        {
            totals = null;
            return head == _head && _keysets.TryGetValue(keyset, out totals);
        }
    }

    /// <summary>
    /// Records what a committed transaction knew: exact values at <paramref name="endHead"/> for the keys given,
    /// and keys whose value changed but is unknown (removed).
    /// </summary>
    public void Publish(
        JournalHead startHead,
        JournalHead endHead,
        IReadOnlyDictionary<LedgerAccount, long> balances,
        IReadOnlyDictionary<KeysetId, KeysetTotals> keysets,
        IEnumerable<LedgerAccount> staleAccounts,
        IEnumerable<KeysetId> staleKeysets)
    {
        lock (_lock)
        {
            // Values held under another head are exact at a state this transaction did not start from.
            if (startHead != _head || _balances.Count + balances.Count > Capacity || _keysets.Count + keysets.Count > Capacity)
            {
                _balances.Clear();
                _keysets.Clear();
            }

            foreach (var account in staleAccounts)
            {
                _balances.Remove(account);
            }

            foreach (var keyset in staleKeysets)
            {
                _keysets.Remove(keyset);
            }

            foreach (var (account, balance) in balances)
            {
                _balances[account] = balance;
            }

            foreach (var (keyset, totals) in keysets)
            {
                _keysets[keyset] = totals;
            }

            _head = endHead;
        }
    }

    /// <summary>Forgets everything.</summary>
    public void Clear()
    {
        lock (_lock)
        {
            _balances.Clear();
            _keysets.Clear();
            _head = null;
        }
    }
}
