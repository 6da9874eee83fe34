using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Wallets;

/// <summary>
/// The worker's wallet role of PB/1: trusts keysets only when they are in the scheme's log (anti-tagging), derives
/// every coin from the seed (so the seed alone restores it), withdraws and verifies, pays providers found in the
/// signed registry with coins that sum exactly, and keeps and verifies receipts. Thread-safe.
/// </summary>
/// <remarks>
/// DESIGN.md section 3 flows 2, 3 and 7; docs/PROTOCOL.md "Wallet". Coin keys are re-derived from the seed when
/// needed and disposed at once; the wallet keeps only public coin data. The class is a façade: the state lives in one
/// <c>WalletState</c>, and each flow (log trust, withdraw, restore, pay, allocation, swap, recovery, the wallet file) in
/// its own class under Wallets/Flows and Wallets/Files.
/// </remarks>
public sealed partial class WorkerWallet : IDisposable
{
    private readonly WalletContext _context;
    private readonly WalletState _state;
    private readonly LogTrustFlow _logTrust;
    private readonly WithdrawFlow _withdraw;
    private readonly RestoreFlow _restore;
    private readonly PayFlow _pay;
    private readonly AllocationFlow _allocation;
    private readonly SwapFlow _swap;
    private readonly RecoveryFlow _recovery;
    private readonly AbandonFlow _abandon;
    private readonly MandateFlow _mandates;

    /// <summary>Creates a wallet. The seed and account key are not owned and must outlive the wallet.</summary>
    /// <param name="seed">The wallet seed.</param>
    /// <param name="account">The worker's scheme account.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public WorkerWallet(WalletSeed seed, AccountId account, Ed25519SigningKey accountKey, Ed25519PublicKey schemeKey, Ed25519PublicKey accreditationKey, TimeProvider timeProvider)
        : this(seed, account, accountKey, schemeKey, accreditationKey, timeProvider, null)
    {
    }

    /// <summary>
    /// Creates a wallet that trusts the scheme's log only through checkpoints its witness policy accepts (PROTOCOL.md
    /// 5.13). The seed and account key are not owned and must outlive the wallet.
    /// </summary>
    /// <param name="seed">The wallet seed.</param>
    /// <param name="account">The worker's scheme account.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="witnessPolicy">
    /// The log's key and the k of n witnesses that must cosign a checkpoint; null trusts the scheme's signature alone, as
    /// the constructor without it does. The policy's log key must be the scheme key.
    /// </param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="witnessPolicy"/> is null.</exception>
    /// <exception cref="ArgumentException">The policy's log key is not <paramref name="schemeKey"/>.</exception>
    public WorkerWallet(WalletSeed seed, AccountId account, Ed25519SigningKey accountKey, Ed25519PublicKey schemeKey, Ed25519PublicKey accreditationKey, TimeProvider timeProvider, WitnessPolicy? witnessPolicy)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (witnessPolicy is not null && !witnessPolicy.LogKey.PublicKey.Equals(schemeKey))
        {
            throw new ArgumentException("The witness policy's log key is not the scheme key: the scheme signs its checkpoints with it (PROTOCOL.md 5.14).", nameof(witnessPolicy));
        }

        Account = account;
        _context = new WalletContext(seed, account, accountKey, schemeKey, accreditationKey, timeProvider, witnessPolicy);
        _state = _context.State;
        _logTrust = new LogTrustFlow(_context);
        _withdraw = new WithdrawFlow(_context);
        _restore = new RestoreFlow(_context);
        _pay = new PayFlow(_context);
        _allocation = new AllocationFlow(_context, _pay);
        _swap = new SwapFlow(_context);
        _recovery = new RecoveryFlow(_context, _swap);
        _abandon = new AbandonFlow(_context, _swap);
        _mandates = new MandateFlow(_context, _pay);
    }

    /// <summary>The worker's account.</summary>
    public AccountId Account { get; }

    /// <summary>The latest tree head the wallet accepted.</summary>
    public SignedTreeHead? TrustedTreeHead => Read(s => s.TreeHead);

    /// <summary>Signed tree heads that contradicted the trusted one: evidence of a forked log.</summary>
    public IReadOnlyList<SignedTreeHead> ForkEvidence => Read<IReadOnlyList<SignedTreeHead>>(s => [.. s.ForkEvidence]);

    /// <summary>The witness policy checkpoints must meet, or null when the wallet trusts the scheme's signature alone.</summary>
    public WitnessPolicy? WitnessPolicy => _context.WitnessPolicy;

    /// <summary>The latest checkpoint the wallet accepted, as received: the log's signature and the witnesses' cosignatures.</summary>
    public SignedNote? TrustedCheckpoint => Read(s => s.Checkpoint?.Note);

    /// <summary>
    /// Pairs of checkpoints, both signed by the log, that contradicted the wallet's trusted checkpoint: proof of a split
    /// view that anyone holding the log's key can check (<see cref="SplitViewEvidence.Verify"/>). Kept in the wallet file.
    /// </summary>
    public IReadOnlyList<SplitViewEvidence> SplitViews => Read<IReadOnlyList<SplitViewEvidence>>(s => [.. s.SplitViews]);

    /// <summary>The keysets the wallet has verified in the log.</summary>
    public IReadOnlyList<KeysetDescriptor> Keysets => Read<IReadOnlyList<KeysetDescriptor>>(s => [.. s.Keysets.Values.Select(k => k.Descriptor)]);

    /// <summary>The unspent coins.</summary>
    public IReadOnlyList<WalletCoin> Coins => Read<IReadOnlyList<WalletCoin>>(s => [.. s.Unspent().OrderBy(c => c.Coin.Id)]);

    /// <summary>The value of the unspent coins.</summary>
    public Amount Balance => Amount.Sum(Coins.Select(c => c.Value));

    /// <summary>The verified withdrawal receipts.</summary>
    public IReadOnlyList<WithdrawalReceipt> WithdrawalReceipts => Read<IReadOnlyList<WithdrawalReceipt>>(s => [.. s.WithdrawalReceipts]);

    /// <summary>The verified spend receipts.</summary>
    public IReadOnlyList<SpendReceipt> SpendReceipts => Read<IReadOnlyList<SpendReceipt>>(s => [.. s.SpendReceipts]);

    /// <summary>
    /// Considers a new signed tree head: it must be signed by the scheme and, when larger than the trusted head,
    /// come with a consistency proof from it (RFC 9162 section 2.1.4). A head of the trusted size with another root
    /// is a fork. Under a witness policy a tree head never moves trust (it carries no cosignature): it is answered
    /// <see cref="TreeHeadStatus.NotWitnessed"/> once its signature verifies; use <see cref="ObserveCheckpoint"/>.
    /// </summary>
    /// <param name="treeHead">The new head.</param>
    /// <param name="proof">A consistency proof from the trusted head to the new one (null for the first head).</param>
    /// <returns>The conclusion.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="treeHead"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public TreeHeadStatus ObserveTreeHead(SignedTreeHead treeHead, ConsistencyProof? proof)
    {
        ArgumentNullException.ThrowIfNull(treeHead);
        ThrowIfDisposed();
        return _logTrust.ObserveTreeHead(treeHead, proof);
    }

    /// <summary>
    /// Considers a checkpoint note of the scheme's log (PROTOCOL.md 5.12, 5.13). Under a witness policy it must be
    /// signed by the log's key and cosigned by at least k of the n configured witnesses; without one, signed by the
    /// scheme's key under the log's origin (the first accepted checkpoint's origin, from then on). It must also be
    /// consistent with the trusted head, by the rules of <see cref="ObserveTreeHead"/>. A checkpoint the log signed
    /// that contradicts the trusted checkpoint (another root at its size, or a consistency proof that fails) is refused
    /// as <see cref="TreeHeadStatus.Fork"/> and kept with it in <see cref="SplitViews"/>, cosigned or not.
    /// </summary>
    /// <param name="checkpoint">The signed checkpoint, with its cosignatures.</param>
    /// <param name="proof">A consistency proof between the trusted size and the checkpoint's (null for the first, or for the same size).</param>
    /// <returns>The conclusion; <see cref="TreeHeadStatus.NotWitnessed"/> when consistent but short of the quorum.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public TreeHeadStatus ObserveCheckpoint(SignedNote checkpoint, ConsistencyProof? proof)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        ThrowIfDisposed();
        return _logTrust.ObserveCheckpoint(checkpoint, proof);
    }

    /// <summary>
    /// Trusts a keyset only if the scheme signed it and its announcement is in the log under the trusted tree head:
    /// a keyset handed to one worker alone (tagging) would have to be logged for everyone to see.
    /// </summary>
    /// <param name="announcement">The announcement.</param>
    /// <param name="proof">The inclusion proof of its log entry against the trusted head: the larger of <see cref="TrustedTreeHead"/> and <see cref="TrustedCheckpoint"/>.</param>
    /// <returns>Whether the keyset is now trusted.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The wallet is disposed.</exception>
    public bool TrustKeyset(KeysetAnnouncement announcement, InclusionProof proof)
    {
        ArgumentNullException.ThrowIfNull(announcement);
        ArgumentNullException.ThrowIfNull(proof);
        ThrowIfDisposed();
        return _logTrust.TrustKeyset(announcement, proof);
    }

    /// <summary>Releases the keyset public keys.</summary>
    public void Dispose() => _state.Dispose();

    /// <inheritdoc/>
    public override string ToString() => $"WorkerWallet({Account})";

    /// <summary>The wallet's state, for tests of what it holds in memory; take <see cref="WalletState.Lock"/> to read it.</summary>
    internal WalletState State => _state;

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_state.IsDisposed, this);

    // A consistent snapshot of the state, taken under its lock.
    private T Read<T>(Func<WalletState, T> read)
    {
        lock (_state.Lock)
        {
            return read(_state);
        }
    }
}
