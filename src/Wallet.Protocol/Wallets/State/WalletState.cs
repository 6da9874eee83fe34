using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Wallets.State;

/// <summary>
/// Everything a wallet holds, in one place: what the wallet file saves and what every flow reads and changes. The
/// collections are only touched under <see cref="Lock"/>; keyset public keys are released on <see cref="Dispose"/>.
/// </summary>
internal sealed class WalletState : IDisposable
{
    /// <summary>Guards every member; flows hold it across a whole check-and-change.</summary>
    public Lock Lock { get; } = new();

    /// <summary>The latest tree head accepted.</summary>
    public SignedTreeHead? TreeHead { get; set; }

    /// <summary>Pairs of heads that contradicted each other.</summary>
    public List<SignedTreeHead> ForkEvidence { get; } = [];

    /// <summary>The latest checkpoint accepted (PROTOCOL.md 5.13), or null.</summary>
    public TrustedCheckpoint? Checkpoint { get; set; }

    /// <summary>Checkpoints signed by the log that contradicted the trusted one, each pair as evidence.</summary>
    public List<SplitViewEvidence> SplitViews { get; } = [];

    /// <summary>The keysets verified in the log, with their next seed counters.</summary>
    public Dictionary<KeysetId, TrustedKeyset> Keysets { get; } = [];

    // Every coin held, the spent ones, and the rest, kept apart as the others change so that what a payment or a swap
    // looks through is the unspent coins, not every coin the wallet ever held. The rest are kept largest first and then
    // by coin id, the order in which payments and swaps choose coins, so that choosing a few does not sort them all.
    private readonly Dictionary<CoinId, WalletCoin> _coins = [];
    private readonly HashSet<CoinId> _spent = [];
    private readonly SortedSet<WalletCoin> _unspent = new(LargestFirst.Instance);

    /// <summary>Every coin held, spent or not; changed only through <see cref="PutCoin"/>, <see cref="TryAddCoin"/> and <see cref="AddCoins"/>.</summary>
    public IReadOnlyDictionary<CoinId, WalletCoin> Coins => _coins;

    /// <summary>The coins known to be spent (held or not); changed only through <see cref="MarkSpent(CoinId)"/>.</summary>
    public IReadOnlySet<CoinId> Spent => _spent;

    /// <summary>Withdrawals prepared but not completed, by idempotency key.</summary>
    public Dictionary<IdempotencyKey, PendingWithdrawal> PendingWithdrawals { get; } = [];

    /// <summary>Swaps and recoveries prepared but not completed, by idempotency key.</summary>
    public Dictionary<IdempotencyKey, PendingSwap> PendingSwaps { get; } = [];

    /// <summary>Prepared payments not confirmed by a spend receipt, by payment id.</summary>
    public Dictionary<PaymentId, PaymentRecord> Payments { get; } = [];

    /// <summary>The verified withdrawal receipts.</summary>
    public List<WithdrawalReceipt> WithdrawalReceipts { get; } = [];

    /// <summary>The verified spend receipts.</summary>
    public List<SpendReceipt> SpendReceipts { get; } = [];

    /// <summary>The dues mandates accepted, with the periods paid (PROTOCOL.md 5.19).</summary>
    public Dictionary<MandateId, MandateRecord> Mandates { get; } = [];

    /// <summary>Whether <see cref="Dispose"/> ran.</summary>
    public bool IsDisposed { get; private set; }

    /// <summary>
    /// The blinding of each output slot of a pending withdrawal, swap or refund, from its preparation until its
    /// completion, so that completing does not blind every coin a second time (the blinding inverse is the costliest
    /// step a wallet takes: a constant-time 2048-bit modular inverse). Only in memory, never saved: a wallet read back
    /// from its file re-derives the blinding of a pending slot from the seed, which gives the same state. Each is
    /// wiped when used, when its request is dropped, when more than <see cref="MaxHeldBlindings"/> would be held (the
    /// newest are then not held), and on <see cref="Dispose"/>. The seed that derives them is in memory all the while,
    /// so holding them exposes nothing more.
    /// </summary>
    public Dictionary<CoinSlot, HeldBlinding> Blindings { get; } = [];

    /// <summary>At most this many blindings are held (<see cref="Blindings"/>); further slots re-derive at completion.</summary>
    public const int MaxHeldBlindings = 4096;

    /// <summary>Holds the blinding of <paramref name="slot"/> until its completion, or wipes it when the cap is reached.</summary>
    public void HoldBlinding(CoinSlot slot, HeldBlinding blinding)
    {
        if (Blindings.Count >= MaxHeldBlindings || !Blindings.TryAdd(slot, blinding))
        {
            blinding.State.Dispose();
        }
    }

    /// <summary>Takes the held blinding of <paramref name="slot"/> out of <see cref="Blindings"/>; the caller disposes it.</summary>
    public HeldBlinding? TakeBlinding(CoinSlot slot) => Blindings.Remove(slot, out var held) ? held : null;

    /// <summary>Wipes the held blindings of <paramref name="slots"/>, whose request is dropped.</summary>
    public void ReleaseBlindings(IEnumerable<CoinSlot> slots)
    {
        foreach (var slot in slots)
        {
            TakeBlinding(slot)?.State.Dispose();
        }
    }

    /// <summary>Drops a pending withdrawal, wiping the blindings held for its slots.</summary>
    public void DropPendingWithdrawal(IdempotencyKey key)
    {
        if (PendingWithdrawals.Remove(key, out var pending))
        {
            ReleaseBlindings(pending.Slots);
        }
    }

    /// <summary>Drops a pending swap, recovery or refund, wiping the blindings held for its outputs; whether it was pending.</summary>
    public bool DropPendingSwap(IdempotencyKey key)
    {
        if (!PendingSwaps.Remove(key, out var pending))
        {
            return false;
        }

        ReleaseBlindings(pending.Outputs);
        return true;
    }

    /// <summary>
    /// The size and root proofs are checked against: the larger of the trusted tree head and the trusted checkpoint
    /// (each was accepted only when consistent with the other), or null before either.
    /// </summary>
    public (ulong Size, MerkleHash Root)? TrustedTree() =>
        (TreeHead, Checkpoint) switch
        {
            (null, null) => null,
            ({ } head, null) => (head.TreeSize, head.RootHash),
            (null, { } checkpoint) => (checkpoint.Checkpoint.TreeSize, checkpoint.Checkpoint.RootHash),
            ({ } head, { } checkpoint) => head.TreeSize > checkpoint.Checkpoint.TreeSize
                ? (head.TreeSize, head.RootHash)
                : (checkpoint.Checkpoint.TreeSize, checkpoint.Checkpoint.RootHash),
        };

    /// <summary>The trusted keyset <paramref name="keyset"/>.</summary>
    /// <exception cref="ArgumentException">The keyset is not trusted.</exception>
    public TrustedKeyset Trusted(KeysetId keyset)
    {
        lock (Lock)
        {
            return Keysets.TryGetValue(keyset, out var trusted) ? trusted : throw new ArgumentException("The keyset is not trusted.", nameof(keyset));
        }
    }

    /// <summary>The descriptor of a held coin's keyset (a held coin's keyset is always trusted).</summary>
    public KeysetDescriptor DescriptorOf(WalletCoin coin) => Keysets[coin.Coin.Keyset].Descriptor;

    /// <summary>The coins not known to be spent, largest value first and then by coin id. Lazy: read it before changing the coins.</summary>
    public IEnumerable<WalletCoin> Unspent() => _unspent;

    /// <summary>Keeps <paramref name="coin"/>, replacing any held under its id.</summary>
    public void PutCoin(WalletCoin coin)
    {
        if (_coins.Remove(coin.Coin.Id, out var replaced))
        {
            _unspent.Remove(replaced);
        }

        _coins[coin.Coin.Id] = coin;
        if (!_spent.Contains(coin.Coin.Id))
        {
            _unspent.Add(coin);
        }
    }

    /// <summary>Keeps <paramref name="coin"/> unless a coin is held under its id; whether it was added.</summary>
    public bool TryAddCoin(WalletCoin coin)
    {
        if (_coins.ContainsKey(coin.Coin.Id))
        {
            return false;
        }

        PutCoin(coin);
        return true;
    }

    /// <summary>Records that <paramref name="coin"/> is spent (a coin not held yet is recorded too).</summary>
    public void MarkSpent(CoinId coin)
    {
        if (_spent.Add(coin) && _coins.TryGetValue(coin, out var held))
        {
            _unspent.Remove(held);
        }
    }

    /// <summary>Records that every coin of <paramref name="coins"/> is spent.</summary>
    public void MarkSpent(IEnumerable<CoinId> coins)
    {
        foreach (var coin in coins)
        {
            MarkSpent(coin);
        }
    }

    /// <summary>
    /// The unspent coins that no pending swap or recovery holds back, in the order coins are chosen: largest value first,
    /// then by coin id. Lazy: read it before marking any of its coins spent.
    /// </summary>
    public IEnumerable<WalletCoin> Available()
    {
        var reserved = Reserved();
        return reserved.Count == 0 ? _unspent : _unspent.Where(c => !reserved.Contains(c.Coin.Id));
    }

    /// <summary>The input coins of the pending swaps and recoveries.</summary>
    public HashSet<CoinId> Reserved() => [.. PendingSwaps.Values.SelectMany(p => p.Inputs)];

    /// <summary>The payment a pending swap is abandoning, if <paramref name="key"/> is such a swap.</summary>
    public PaymentRecord? PaymentAbandonedBy(IdempotencyKey key) =>
        Payments.Values.FirstOrDefault(p => p.State == WalletPaymentState.Abandoning && p.AbandonKey == key);

    /// <summary>Keeps new coins (replacing any held under the same id).</summary>
    public void AddCoins(IEnumerable<WalletCoin> coins)
    {
        foreach (var coin in coins)
        {
            PutCoin(coin);
        }
    }

    /// <summary>Releases the keyset public keys, once.</summary>
    public void Dispose()
    {
        lock (Lock)
        {
            if (IsDisposed)
            {
                return;
            }

            IsDisposed = true;
            foreach (var keyset in Keysets.Values)
            {
                keyset.Dispose();
            }

            ReleaseBlindings([.. Blindings.Keys]);
        }
    }

    /// <summary>Largest value first, then by coin id; one coin per id is held, so no two coins compare equal.</summary>
    private sealed class LargestFirst : IComparer<WalletCoin>
    {
        public static readonly LargestFirst Instance = new();

        public int Compare(WalletCoin? x, WalletCoin? y)
        {
            if (ReferenceEquals(x, y))
            {
                return 0;
            }

            if (x is null || y is null)
            {
                return x is null ? -1 : 1;
            }

            int byValue = y.Value.MinorUnits.CompareTo(x.Value.MinorUnits);
            return byValue != 0 ? byValue : x.Coin.Id.CompareTo(y.Coin.Id);
        }
    }
}
