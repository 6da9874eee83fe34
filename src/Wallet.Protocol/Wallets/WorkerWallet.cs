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

    /// <summary>Creates a wallet. The seed and account key are not owned and must outlive the wallet.</summary>
    /// <param name="seed">The wallet seed.</param>
    /// <param name="account">The worker's scheme account.</param>
    /// <param name="accountKey">The worker's account key.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public WorkerWallet(WalletSeed seed, AccountId account, Ed25519SigningKey accountKey, Ed25519PublicKey schemeKey, Ed25519PublicKey accreditationKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(seed);
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        Account = account;
        _context = new WalletContext(seed, account, accountKey, schemeKey, accreditationKey, timeProvider);
        _state = _context.State;
        _logTrust = new LogTrustFlow(_context);
        _withdraw = new WithdrawFlow(_context);
        _restore = new RestoreFlow(_context);
        _pay = new PayFlow(_context);
        _allocation = new AllocationFlow(_context, _pay);
        _swap = new SwapFlow(_context);
        _recovery = new RecoveryFlow(_context, _swap);
        _abandon = new AbandonFlow(_context, _swap);
    }

    /// <summary>The worker's account.</summary>
    public AccountId Account { get; }

    /// <summary>The latest tree head the wallet accepted.</summary>
    public SignedTreeHead? TrustedTreeHead => Read(s => s.TreeHead);

    /// <summary>Signed tree heads that contradicted the trusted one: evidence of a forked log.</summary>
    public IReadOnlyList<SignedTreeHead> ForkEvidence => Read<IReadOnlyList<SignedTreeHead>>(s => [.. s.ForkEvidence]);

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
    /// is a fork.
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
    /// Trusts a keyset only if the scheme signed it and its announcement is in the log under the trusted tree head:
    /// a keyset handed to one worker alone (tagging) would have to be logged for everyone to see.
    /// </summary>
    /// <param name="announcement">The announcement.</param>
    /// <param name="proof">The inclusion proof of its log entry against <see cref="TrustedTreeHead"/>.</param>
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
