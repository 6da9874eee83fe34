namespace Wallet.Protocol.Roles;

/// <summary>
/// The scheme operator's surface: what the scheme's own staff and back-office systems do, as opposed to what wallets,
/// providers and auditors do (<see cref="ISchemeClient"/>). <c>BenefitScheme</c> implements it in process;
/// <c>HttpSchemeOperatorClient</c> implements it over the authenticated operator endpoints (docs/http.md "Operator API").
/// </summary>
/// <remarks>
/// Every state-changing operation is safe to retry: contributions and keyset announcements carry an idempotency key,
/// and the other operations are idempotent by what they name (an account, a registry or table version, a keyset, an
/// allocation round). Expected outcomes are results, as on <see cref="ISchemeClient"/>.
/// </remarks>
public interface ISchemeOperator
{
    /// <summary>The scheme's public key, for the operator to hand to wallets, providers and auditors.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The key that signs announcements, receipts and tree heads.</returns>
    Task<Ed25519PublicKey> GetPublicKeyAsync(CancellationToken cancellationToken = default);

    /// <summary>Registers (or replaces) a worker's account key, the key that signs withdrawal and recovery requests.</summary>
    /// <param name="account">The account.</param>
    /// <param name="accountKey">The public key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    Task RegisterAccountAsync(AccountId account, Ed25519PublicKey accountKey, CancellationToken cancellationToken = default);

    /// <summary>Credits a worker's account from a contribution source (flow 1); at most once per idempotency key.</summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="source">The source.</param>
    /// <param name="worker">The worker.</param>
    /// <param name="amount">The amount.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The ledger's outcome.</returns>
    Task<ContributionResult> ContributeAsync(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Credits a worker's account from a contribution source and names who paid (flow 1); at most once per idempotency
    /// key. The scheme keeps the contributor with the contribution's record, for the worker's statement and receipt.
    /// </summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="contributor">Who paid (for example an employer id), or null to name nobody.</param>
    /// <param name="source">The source.</param>
    /// <param name="worker">The worker.</param>
    /// <param name="amount">The amount.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The ledger's outcome.</returns>
    /// <remarks>docs/PROTOCOL.md 5.23.</remarks>
    Task<ContributionResult> ContributeAsync(IdempotencyKey key, AccountId? contributor, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken = default);

    /// <summary>
    /// Credits many workers in one call (payroll at volume): every line is checked and applied on its own, at most once
    /// per contributor and line key, and all the lines that apply are recorded in one ledger transaction.
    /// </summary>
    /// <param name="lines">The lines, at least one.</param>
    /// <param name="cancellationToken">Cancels the operation; nothing of the batch is kept unless its transaction committed.</param>
    /// <returns>One result per line, in the order of <paramref name="lines"/>; a retried batch returns the same results as replays.</returns>
    /// <remarks>docs/PROTOCOL.md 5.21.</remarks>
    Task<IReadOnlyList<PayrollLineResult>> ContributeBatchAsync(IReadOnlyList<PayrollLine> lines, CancellationToken cancellationToken = default);

    /// <summary>
    /// Has the scheme generate a fresh RSA key for a keyset, announce its descriptor in the log and keep the key for
    /// issuing. A retry with the same key and parameters returns the same keyset, never a second one.
    /// </summary>
    /// <param name="key">The idempotency key of this announcement.</param>
    /// <param name="parameters">The descriptor's fields; the public key comes from the generated key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The published keyset with its log index.</returns>
    /// <remarks>docs/PROTOCOL.md section 5.1.</remarks>
    Task<PublishedKeyset> AnnounceKeysetAsync(IdempotencyKey key, KeysetParameters parameters, CancellationToken cancellationToken = default);

    /// <summary>Publishes a registry version signed by the accreditation body (not by the scheme): stored and logged.</summary>
    /// <param name="registry">The signed registry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the signature is invalid or the version does not increase.</returns>
    Task<bool> PublishRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken = default);

    /// <summary>Publishes a default-allocation table signed by the accreditation body.</summary>
    /// <param name="table">The signed table.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the signature is invalid or the version or time does not increase.</returns>
    /// <remarks>docs/PROTOCOL.md section 5.10.</remarks>
    Task<bool> PublishAllocationTableAsync(DefaultAllocationTable table, CancellationToken cancellationToken = default);

    /// <summary>Publishes a funds table signed by the accreditation body: which fund each contribution source credits.</summary>
    /// <param name="table">The signed table.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the signature is invalid or the version or time does not increase.</returns>
    /// <remarks>docs/PROTOCOL.md section 5.22.</remarks>
    Task<bool> PublishFundsTableAsync(FundsTable table, CancellationToken cancellationToken = default);

    /// <summary>Closes a keyset after its deposit window: unspent value moves to the expired account and is logged.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The expiry record, or null when the keyset is unknown, still depositable or already closed.</returns>
    Task<ExpiryRecord?> ExpireKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default);

    /// <summary>
    /// Returns to the workers' accounts every withdrawal that paid for coins of a revoked keyset and was never issued
    /// (its key can never sign again), with one compensating ledger entry and one log entry each; a retry of such a
    /// withdrawal is then answered <see cref="WithdrawalStatus.Reversed"/> with a signed receipt. Safe to repeat.
    /// </summary>
    /// <param name="keyset">The revoked keyset.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The summary, or null when the keyset is unknown or not revoked.</returns>
    /// <remarks>docs/PROTOCOL.md section 5.3. A withdrawal of a keyset already expired is not reversed: its value went to the expired account.</remarks>
    Task<WithdrawalReversalSummary?> ReverseUnissuedWithdrawalsAsync(KeysetId keyset, CancellationToken cancellationToken = default);

    /// <summary>Directs an expired keyset's value by the default-allocation table in force.</summary>
    /// <param name="keyset">The expired keyset.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The logged allocation, or null when there is nothing to allocate or no table is in force.</returns>
    /// <remarks>docs/PROTOCOL.md section 5.10.</remarks>
    Task<DefaultAllocationRecord?> AllocateExpiredAsync(KeysetId keyset, CancellationToken cancellationToken = default);

    /// <summary>One default-allocation round over never-withdrawn balances; the round name makes it idempotent.</summary>
    /// <param name="round">The round's name, a token.</param>
    /// <param name="workers">Every account of the round with its sector and region.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The logged record, or null when no table is in force.</returns>
    /// <remarks>docs/PROTOCOL.md section 5.10.</remarks>
    Task<DefaultAllocationRecord?> AllocateUnwithdrawnAsync(string round, IReadOnlyList<DefaultAllocationInput> workers, CancellationToken cancellationToken = default);

    /// <summary>The balance of a ledger account, in minor units (an account statement, a provider's payable, a pool).</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The balance.</returns>
    Task<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken = default);

    /// <summary>The ledger's running totals of a keyset: issued, deposited, swapped in, expired.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The totals (zero for an unknown keyset).</returns>
    Task<KeysetTotals> GetKeysetTotalsAsync(KeysetId keyset, CancellationToken cancellationToken = default);

    /// <summary>Replays the ledger's hash-chained journal and checks every invariant (DESIGN.md section 4).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The verification report.</returns>
    Task<LedgerVerification> VerifyLedgerAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// Logs a ledger checkpoint: a scheme-signed summary of the ledger (journal head, totals per account kind,
    /// outstanding value per keyset and per fund) that the log before it reconciles with. Exactly once per key.
    /// </summary>
    /// <param name="key">The idempotency key; a retry with it returns the checkpoint logged under it.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The logged record (its <see cref="LedgerCheckpointRecord.LogSize"/> is its log index), or null when an operation
    /// has its ledger entry but not yet its log entry (in flight, or cut short by a crash until it is retried): nothing
    /// is logged then, and a later call can succeed.
    /// </returns>
    /// <remarks>docs/PROTOCOL.md 5.15.</remarks>
    Task<LedgerCheckpointRecord?> LogLedgerCheckpointAsync(IdempotencyKey key, CancellationToken cancellationToken = default);

    /// <summary>
    /// Pays part or all of a provider's payable out of the scheme (to its bank): one ledger entry from the provider's
    /// payable to its payouts account, never more than the payable, one log entry with the amount per provider, and a
    /// statement signed by the scheme for the provider. At most once per idempotency key; a retry (after a crash too)
    /// returns the same statement.
    /// </summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="provider">The provider, named by a published registry.</param>
    /// <param name="amount">The amount, more than zero.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcome, with the statement when paid.</returns>
    /// <remarks>docs/PROTOCOL.md 5.18.</remarks>
    Task<PayoutResult> PayoutAsync(IdempotencyKey key, AccountId provider, Amount amount, CancellationToken cancellationToken = default);
}
