using Wallet.Protocol.Flows;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Allocation;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme (issuer) role of PB/1: keyset lifecycle, account keys, withdrawals, deposits, swaps, recovery, default
/// allocation, restore queries and the transparency log. Value moves only through <see cref="SchemeLedger"/>; the
/// scheme adds the cryptographic checks, the stored responses and the log around it.
/// </summary>
/// <remarks>
/// DESIGN.md section 3 and docs/PROTOCOL.md "Scheme". This class is a façade: each flow lives in its own folder
/// (Withdrawals/WithdrawalHandler, Deposits/DepositHandler, Swaps/SwapHandler, Recovery/RecoveryHandler,
/// Allocation/AllocationHandler), next to its messages; keyset announcement and registry publication
/// (Schemes/KeysetHandler, Schemes/RegistryHandler) sit here because every flow reads the records they publish.
/// Blind-signing keys live only in this object (never in the store); after a restart call
/// <see cref="AnnounceKeysetAsync"/> again with each key: it is idempotent.
/// Expected outcomes (insufficient funds, double spend, ...) are result values, not exceptions.
/// </remarks>
public sealed class BenefitScheme : ISchemeClient, ISchemeOperator
{
    private readonly ISchemeStore _store;
    private readonly SchemeContext _context;
    private readonly KeysetHandler _keysets;
    private readonly RegistryHandler _registry;
    private readonly WithdrawalHandler _withdrawals;
    private readonly DepositHandler _deposits;
    private readonly SwapHandler _swaps;
    private readonly RecoveryHandler _recovery;
    private readonly AllocationHandler _allocation;
    private readonly QueryHandler _queries;

    /// <summary>Creates the scheme role over its stores. The keys are not owned.</summary>
    /// <param name="schemeKey">The scheme's Ed25519 key (announcements, receipts, tree heads).</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="ledger">The double-entry ledger.</param>
    /// <param name="store">The scheme store.</param>
    /// <param name="logStore">The Merkle node store of the transparency log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public BenefitScheme(Ed25519SigningKey schemeKey, Ed25519PublicKey accreditationKey, SchemeLedger ledger, ISchemeStore store, IMerkleLogStore logStore, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logStore);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _context = new SchemeContext(schemeKey, accreditationKey, ledger, store, logStore, timeProvider);
        var issuance = new SwapIssuance(_context, swaps: store);
        _keysets = new KeysetHandler(_context, keysets: store);
        _registry = new RegistryHandler(_context, registries: store);
        _withdrawals = new WithdrawalHandler(_context, withdrawals: store, keysets: store);
        _deposits = new DepositHandler(_context, deposits: store, registries: store, keysets: store, swaps: store, spends: store);
        _swaps = new SwapHandler(_context, swaps: store, keysets: store, spends: store, issuance);
        _recovery = new RecoveryHandler(_context, withdrawals: store, swaps: store, keysets: store, issuance);
        _allocation = new AllocationHandler(_context, keysets: store, registries: store, logRecords: store);
        _queries = new QueryHandler(_context, withdrawals: store, logRecords: store);
    }

    /// <summary>The scheme's public key: wallets, providers and auditors verify everything the scheme signs with it.</summary>
    public Ed25519PublicKey PublicKey => _context.SchemeKey.PublicKey;

    /// <summary>
    /// Announces a keyset: signs its descriptor, stores it and appends it to the log, and keeps its blind-signing key
    /// in memory for issuing. Without <paramref name="signingKey"/>, the scheme generates the key itself (as
    /// <see cref="ISchemeOperator.AnnounceKeysetAsync"/> does); with it, the caller's key is attached.
    /// </summary>
    /// <param name="key">The idempotency key of this announcement.</param>
    /// <param name="parameters">The descriptor's fields; the public key comes from the signing key.</param>
    /// <param name="signingKey">
    /// An RSA private key to issue with instead of a generated one (an imported key, or a test's pre-generated one),
    /// matching the parameters' mode and modulus size; not owned. Null to generate.
    /// </param>
    /// <param name="cancellationToken">Cancels waiting; a generation already started still completes for a retry to find.</param>
    /// <returns>The published keyset with its log index.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="parameters"/> is null.</exception>
    /// <exception cref="ArgumentException">
    /// The idempotency key was already used with other parameters, or the signing key does not match the parameters'
    /// mode or modulus size.
    /// </exception>
    /// <remarks>
    /// docs/PROTOCOL.md section 5.1. Generated keys and the idempotency memory live as long as this object: after a
    /// restart such a keyset can no longer issue (announce a new one; its coins stay depositable, since deposits
    /// verify against the logged public key). A host that must keep issuing across restarts supplies its keys and
    /// announces each keyset again after a restart (<see cref="KeysetParameters.Of"/> rebuilds the parameters from
    /// a logged descriptor); that is idempotent.
    /// </remarks>
    public Task<PublishedKeyset> AnnounceKeysetAsync(IdempotencyKey key, KeysetParameters parameters, BlindRsaPrivateKey? signingKey = null, CancellationToken cancellationToken = default) =>
        _keysets.AnnounceKeysetAsync(key, parameters, signingKey, cancellationToken);

    /// <summary>Revokes a keyset: no further withdrawals or deposits of its coins.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the keyset was known.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    public Task<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default) =>
        _keysets.RevokeKeysetAsync(keyset, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<PublishedKeyset>> ListKeysetsAsync(CancellationToken cancellationToken = default) =>
        _keysets.ListKeysetsAsync(cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    public Task<ExpiryRecord?> ExpireKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default) =>
        _allocation.ExpireKeysetAsync(keyset, cancellationToken);

    /// <inheritdoc/>
    public Task<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken = default) =>
        _registry.ListRegistriesAsync(cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public Task<bool> PublishRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken = default) =>
        _registry.PublishRegistryAsync(registry, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public async Task RegisterAccountAsync(AccountId account, Ed25519PublicKey accountKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        await _store.PutAccountKeyAsync(account, accountKey, cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    public async Task<ContributionResult> ContributeAsync(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken = default)
    {
        var result = await _context.Ledger.ContributeAsync(key, source, worker, amount, cancellationToken).ConfigureAwait(false);
        return new ContributionResult(result.Status, result.IsReplay);
    }

    /// <summary>The balance of a worker's account, in minor units.</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The balance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="worker"/> is null.</exception>
    public Task<long> GetWorkerBalanceAsync(AccountId worker, CancellationToken cancellationToken = default) =>
        _context.Ledger.GetBalanceAsync(LedgerAccount.Worker(worker), cancellationToken);

    /// <summary>The payable balance of a provider, in minor units.</summary>
    /// <param name="provider">The provider.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The balance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="provider"/> is null.</exception>
    public Task<long> GetProviderBalanceAsync(AccountId provider, CancellationToken cancellationToken = default) =>
        _context.Ledger.GetBalanceAsync(LedgerAccount.Provider(provider), cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<WithdrawalResult> WithdrawAsync(WithdrawalRequest request, CancellationToken cancellationToken = default) =>
        _withdrawals.WithdrawAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<DepositResult> DepositAsync(DepositRequest request, CancellationToken cancellationToken = default) =>
        _deposits.DepositAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<SwapResult> SwapAsync(SwapRequest request, CancellationToken cancellationToken = default) =>
        _swaps.SwapAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<SwapResult> RecoverAsync(RecoveryRequest request, CancellationToken cancellationToken = default) =>
        _recovery.RecoverAsync(request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    public Task<bool> PublishAllocationTableAsync(DefaultAllocationTable table, CancellationToken cancellationToken = default) =>
        _allocation.PublishAllocationTableAsync(table, cancellationToken);

    /// <summary>Every published default-allocation table, oldest first, as read back from the log.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The tables.</returns>
    public Task<IReadOnlyList<DefaultAllocationTable>> ListAllocationTablesAsync(CancellationToken cancellationToken = default) =>
        _allocation.ListAllocationTablesAsync(cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    public Task<DefaultAllocationRecord?> AllocateExpiredAsync(KeysetId keyset, CancellationToken cancellationToken = default) =>
        _allocation.AllocateExpiredAsync(keyset, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The round is not a token, an account repeats, or a sector or region is not a token.</exception>
    public Task<DefaultAllocationRecord?> AllocateUnwithdrawnAsync(string round, IReadOnlyList<DefaultAllocationInput> workers, CancellationToken cancellationToken = default) =>
        _allocation.AllocateUnwithdrawnAsync(round, workers, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="blindedMessages"/> is null.</exception>
    public Task<IReadOnlyList<BlindSignature?>> FindBlindSignaturesAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken = default) =>
        _queries.FindBlindSignaturesAsync(blindedMessages, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="coins"/> is null.</exception>
    public Task<IReadOnlyList<bool>> AreSpentAsync(IReadOnlyList<CoinId> coins, CancellationToken cancellationToken = default) =>
        _queries.AreSpentAsync(coins, cancellationToken);

    /// <inheritdoc/>
    public Task<SignedTreeHead> GetTreeHeadAsync(CancellationToken cancellationToken = default) =>
        _queries.GetTreeHeadAsync(cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The index or size is outside the log.</exception>
    public Task<InclusionProof> GetInclusionProofAsync(ulong index, ulong treeSize, CancellationToken cancellationToken = default) =>
        _queries.GetInclusionProofAsync(index, treeSize, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside the log.</exception>
    public Task<ConsistencyProof> GetConsistencyProofAsync(ulong oldSize, ulong newSize, CancellationToken cancellationToken = default) =>
        _queries.GetConsistencyProofAsync(oldSize, newSize, cancellationToken);

    /// <inheritdoc/>
    public Task<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken = default) =>
        _queries.GetLogEntryAsync(index, cancellationToken);

    /// <inheritdoc/>
    Task<PublishedKeyset> ISchemeOperator.AnnounceKeysetAsync(IdempotencyKey key, KeysetParameters parameters, CancellationToken cancellationToken) =>
        _keysets.AnnounceKeysetAsync(key, parameters, signingKey: null, cancellationToken);

    /// <inheritdoc/>
    Task<Ed25519PublicKey> ISchemeOperator.GetPublicKeyAsync(CancellationToken cancellationToken) => Task.FromResult(PublicKey);

    /// <inheritdoc/>
    Task<long> ISchemeOperator.GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken) =>
        _context.Ledger.GetBalanceAsync(account, cancellationToken);

    /// <inheritdoc/>
    Task<KeysetTotals> ISchemeOperator.GetKeysetTotalsAsync(KeysetId keyset, CancellationToken cancellationToken) =>
        _context.Ledger.GetKeysetAsync(keyset, cancellationToken);

    /// <inheritdoc/>
    Task<LedgerVerification> ISchemeOperator.VerifyLedgerAsync(CancellationToken cancellationToken) =>
        _context.Ledger.VerifyAsync(cancellationToken);
}
