using Wallet.Crypto.Notes;
using Wallet.Crypto.Tiles;

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
/// Blind-signing keys are kept by an <see cref="IKeysetKeyStore"/> (docs/PROTOCOL.md "Key custody"): every announced key
/// goes into it, and after a restart <see cref="LoadKeysAsync"/> brings them back before the scheme serves requests.
/// Expected outcomes (insufficient funds, double spend, ...) are result values, not exceptions.
/// </remarks>
public sealed partial class BenefitScheme : ISchemeClient, ISchemeOperator
{
    private readonly ISchemeStore _store;
    private readonly SchemeContext _context;
    private readonly KeysetHandler _keysets;
    private readonly RegistryHandler _registry;
    private readonly WithdrawalHandler _withdrawals;
    private readonly WithdrawalReversalHandler _reversals;
    private readonly DepositHandler _deposits;
    private readonly SwapHandler _swaps;
    private readonly RecoveryHandler _recovery;
    private readonly AllocationHandler _allocation;
    private readonly QueryHandler _queries;
    private readonly StatementHandler _statements;
    private readonly FundsTableHandler _funds;
    private readonly KeysetSignerRefresh _signerRefresh;

    /// <summary>
    /// Creates the scheme role over its stores, keeping blind-signing keys in memory only
    /// (<see cref="InMemoryKeysetKeyStore"/>): generated keys do not survive this object. The keys are not owned.
    /// </summary>
    /// <param name="schemeKey">The scheme's Ed25519 key (announcements, receipts, tree heads).</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="ledger">The double-entry ledger.</param>
    /// <param name="store">The scheme store.</param>
    /// <param name="logStore">The Merkle node store of the transparency log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public BenefitScheme(Ed25519SigningKey schemeKey, Ed25519PublicKey accreditationKey, SchemeLedger ledger, ISchemeStore store, IMerkleLogStore logStore, TimeProvider timeProvider)
        : this(schemeKey, accreditationKey, ledger, store, logStore, timeProvider, new InMemoryKeysetKeyStore())
    {
    }

    /// <summary>Creates the scheme role over its stores and a key store. Neither the keys nor the stores are owned.</summary>
    /// <param name="schemeKey">The scheme's Ed25519 key (announcements, receipts, tree heads).</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="ledger">The double-entry ledger.</param>
    /// <param name="store">The scheme store.</param>
    /// <param name="logStore">The Merkle node store of the transparency log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="keyStore">Custody of the keysets' blind-signing keys; call <see cref="LoadKeysAsync"/> before serving.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public BenefitScheme(Ed25519SigningKey schemeKey, Ed25519PublicKey accreditationKey, SchemeLedger ledger, ISchemeStore store, IMerkleLogStore logStore, TimeProvider timeProvider, IKeysetKeyStore keyStore)
        : this(schemeKey, accreditationKey, ledger, store, logStore, timeProvider, new InProcessKeysetSignerSource(keyStore))
    {
    }

    /// <summary>
    /// Creates the scheme role over its stores and a signer source: the keysets' keys stay with their custodian (a
    /// separate signing process, an HSM), which generates them and signs for the scheme. Nothing passed is owned.
    /// </summary>
    /// <param name="schemeKey">The scheme's Ed25519 key (announcements, receipts, tree heads).</param>
    /// <param name="accreditationKey">The accreditation body's public key.</param>
    /// <param name="ledger">The double-entry ledger.</param>
    /// <param name="store">The scheme store.</param>
    /// <param name="logStore">The Merkle node store of the transparency log.</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="signerSource">
    /// The keysets' signers; call <see cref="LoadKeysAsync"/> before serving. Only an
    /// <see cref="InProcessKeysetSignerSource"/> can take a caller's key in <see cref="AnnounceKeysetAsync"/>.
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <remarks>docs/PROTOCOL.md 8.2 "HSM or signing process".</remarks>
    public BenefitScheme(Ed25519SigningKey schemeKey, Ed25519PublicKey accreditationKey, SchemeLedger ledger, ISchemeStore store, IMerkleLogStore logStore, TimeProvider timeProvider, IKeysetSignerSource signerSource)
    {
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(accreditationKey);
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(logStore);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(signerSource);
        _store = store;
        _context = new SchemeContext(schemeKey, accreditationKey, ledger, store, logStore, timeProvider);
        var issuance = new SwapIssuance(_context, swaps: store);
        _keysets = new KeysetHandler(_context, keysets: store, signerSource, (signerSource as InProcessKeysetSignerSource)?.KeyStore);
        _registry = new RegistryHandler(_context, registries: store);
        _withdrawals = new WithdrawalHandler(_context, withdrawals: store, keysets: store);
        _reversals = new WithdrawalReversalHandler(_context, keysets: store);
        _deposits = new DepositHandler(_context, deposits: store, registryStore: store, keysets: store, swaps: store, spends: store);
        _swaps = new SwapHandler(_context, swaps: store, keysets: store, spendStore: store, issuance);
        _recovery = new RecoveryHandler(_context, withdrawals: store, keysets: store, issuance);
        _allocation = new AllocationHandler(_context, keysets: store, registryStore: store, logRecords: store);
        _queries = new QueryHandler(_context, withdrawals: store, logRecords: store, tiles: new TileReader(logStore));
        _statements = new StatementHandler(_context, statements: store, accounts: store);
        _funds = new FundsTableHandler(_context, logRecords: store);
        _signerRefresh = new KeysetSignerRefresh(_context, keysets: store, signerSource);
    }

    /// <summary>The scheme's public key: wallets, providers and auditors verify everything the scheme signs with it.</summary>
    public Ed25519PublicKey PublicKey => _context.SchemeKey.PublicKey;

    /// <summary>
    /// How many cores one deposit or swap may verify its coins' signatures on (docs/PROTOCOL.md 5.5, 5.10), and one
    /// withdrawal, swap, recovery or refund claim may blind-sign its outputs on (5.3); 1 does both on the calling
    /// thread. Small verification batches stay on the calling thread whatever this says. The answer is the same either
    /// way. Defaults to <see cref="Environment.ProcessorCount"/>; a change applies to requests that start after it.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The value is less than 1.</exception>
    public int VerificationParallelism
    {
        get => _context.VerificationParallelism;
        set
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, 1);
            _context.VerificationParallelism = value;
        }
    }

    // Tests force the parallel path on small batches; benchmarks measure where it starts to pay.
    internal int ParallelVerificationFrom
    {
        get => _context.ParallelVerificationFrom;
        set => _context.ParallelVerificationFrom = value;
    }

    /// <summary>
    /// Loads the blind-signing key of every keyset that is neither revoked nor past its deposit window from the key
    /// store, so the scheme issues again
    /// after a restart. Call it once at start-up, before serving requests.
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when every key is attached.</returns>
    /// <exception cref="MissingKeysetKeyException">
    /// A keyset whose withdrawal window is not over and that is not revoked has no key in the store: the scheme must
    /// not start (it would debit withdrawals it cannot sign). Nothing is attached.
    /// </exception>
    /// <exception cref="KeysetKeyStoreException">A stored key cannot be opened, or is not its keyset's announced key.</exception>
    /// <exception cref="KeysetSignerUnavailableException">The signer source (a signing process) cannot be reached.</exception>
    /// <remarks>docs/PROTOCOL.md section 8.2.</remarks>
    public async Task LoadKeysAsync(CancellationToken cancellationToken = default)
    {
        try
        {
            await _keysets.LoadKeysAsync(cancellationToken).ConfigureAwait(false);
            _signerRefresh.Attaching = true;
        }
        catch (MissingKeysetKeyException)
        {
            // A scheme that must not start attaches no signer on demand either, until a load succeeds.
            _signerRefresh.Attaching = false;
            throw;
        }
    }

    /// <summary>
    /// Announces a keyset: signs its descriptor, stores it and appends it to the log, and puts its blind-signing key
    /// in the key store for issuing (before logging it). Without <paramref name="signingKey"/>, the scheme generates the key itself (as
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
    /// The idempotency key was already used with other parameters, the signing key does not match the parameters'
    /// mode or modulus size, the key store must copy the key and it is not exportable, or the scheme's signer source
    /// cannot import a caller's key (it is not an <see cref="InProcessKeysetSignerSource"/>).
    /// </exception>
    /// <exception cref="KeysetKeyStoreException">The key store already holds another key for this keyset.</exception>
    /// <exception cref="KeysetSignerUnavailableException">The signer source (a signing process) cannot generate the key now.</exception>
    /// <remarks>
    /// docs/PROTOCOL.md section 5.1 and "Key custody". Keys, generated or supplied, outlive this object as long as the
    /// key store does: a new scheme over the same stores calls <see cref="LoadKeysAsync"/>. The idempotency memory of
    /// generated announcements lives as long as this object.
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
    public Task<WithdrawalReversalSummary?> ReverseUnissuedWithdrawalsAsync(KeysetId keyset, CancellationToken cancellationToken = default) =>
        _reversals.ReverseUnissuedAsync(keyset, cancellationToken);

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
    public Task<ContributionResult> ContributeAsync(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken = default) =>
        ContributeAsync(key, null, source, worker, amount, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="worker"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero or <paramref name="source"/> is undefined.</exception>
    public async Task<ContributionResult> ContributeAsync(IdempotencyKey key, AccountId? contributor, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken = default)
    {
        // The record goes first, so a crash between the two leaves a record the statement does not show (docs/PROTOCOL.md
        // 5.23); with stores that share a database the two are one transaction.
        string fund = await FundOfAsync(source, cancellationToken).ConfigureAwait(false);
        var result = await _context.InTransactionAsync(
            async () =>
            {
                await RecordContributionsAsync([Record(key, contributor, source, worker, amount, fund)], cancellationToken).ConfigureAwait(false);
                return await _context.Ledger.ContributeAsync(key, source, worker, amount, fund, cancellationToken).ConfigureAwait(false);
            },
            cancellationToken).ConfigureAwait(false);
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
    public Task<WithdrawalResult> WithdrawAsync(WithdrawalRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AfterRefreshAsync(RefreshSignersAsync(request.Items.Select(i => i.Keyset), cancellationToken), () => _withdrawals.WithdrawAsync(request, cancellationToken));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<DepositResult> DepositAsync(DepositRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AfterRefreshAsync(RefreshSignersAsync(request.Spends.Select(s => s.Coin.Keyset), cancellationToken), () => _deposits.DepositAsync(request, cancellationToken));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<SwapResult> SwapAsync(SwapRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        var named = request.Inputs.Select(c => c.Keyset).Concat(request.Outputs.Select(o => o.Keyset));
        return AfterRefreshAsync(RefreshSignersAsync(named, cancellationToken), () => _swaps.SwapAsync(request, cancellationToken));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<SwapResult> RecoverAsync(RecoveryRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AfterRefreshAsync(RefreshSignersAsync(request.Outputs.Select(o => o.Keyset), cancellationToken), () => _recovery.RecoverAsync(request, cancellationToken));
    }

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

    /// <summary>
    /// Signs a C2SP checkpoint of the transparency log's current size and root with the scheme key, under the
    /// operator's origin, for C2SP tooling and witnesses.
    /// </summary>
    /// <param name="origin">The log's origin, also the signature's key name (<see cref="LogOrigin"/>), for example <c>benefits.example.org/pb1</c>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The checkpoint note with the scheme's Ed25519 signature. Its size and root equal those of every <see cref="SignedTreeHead"/> of the same size.</returns>
    /// <exception cref="ArgumentException"><paramref name="origin"/> breaks the <see cref="LogOrigin"/> convention.</exception>
    /// <remarks>docs/PROTOCOL.md 5.12 and 5.14; C2SP tlog-checkpoint and signed-note.</remarks>
    public Task<SignedNote> SignCheckpointAsync(string origin, CancellationToken cancellationToken = default) =>
        _queries.SignCheckpointAsync(origin, cancellationToken);

    /// <summary>Reads a C2SP tlog-tiles hash tile or entry bundle of the transparency log at its current size.</summary>
    /// <param name="path">The tile or bundle; a partial path is answered with that many hashes or entries as long as the log holds them.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The tile, or null when the log does not hold it at the requested width (beyond the tree, or a full tile still partial).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="NotSupportedException">An entry of the bundle is longer than 65,535 bytes, which a bundle cannot frame.</exception>
    /// <exception cref="InvalidOperationException">A stored entry does not hash to its leaf (a corrupt store).</exception>
    /// <remarks>docs/PROTOCOL.md 5.14; C2SP tlog-tiles.</remarks>
    public Task<Tile?> ReadTileAsync(TilePath path, CancellationToken cancellationToken = default) =>
        _queries.ReadTileAsync(path, cancellationToken);

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
        VerifyLedgerPerFundAsync(cancellationToken);
}
