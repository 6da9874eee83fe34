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

    /// <summary>Every coin held, spent or not.</summary>
    public Dictionary<CoinId, WalletCoin> Coins { get; } = [];

    /// <summary>The coins known to be spent.</summary>
    public HashSet<CoinId> Spent { get; } = [];

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

    /// <summary>The coins not known to be spent.</summary>
    public IEnumerable<WalletCoin> Unspent() => Coins.Values.Where(c => !Spent.Contains(c.Coin.Id));

    /// <summary>The unspent coins that no pending swap or recovery holds back.</summary>
    public IEnumerable<WalletCoin> Available()
    {
        var reserved = Reserved();
        return Unspent().Where(c => !reserved.Contains(c.Coin.Id));
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
            Coins[coin.Coin.Id] = coin;
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
        }
    }
}
