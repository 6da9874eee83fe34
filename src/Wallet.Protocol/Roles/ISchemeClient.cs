using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Roles;

/// <summary>
/// What wallets, providers and auditors ask of the scheme: the whole PB/1 surface that crosses a network. The
/// in-process transport is <c>BenefitScheme</c> itself; an HTTP client implements the same interface, so a
/// component written against it runs unchanged over either.
/// </summary>
/// <remarks>
/// Every request carries its own idempotency key where it changes state, so a caller that lost a response retries
/// the same message and gets the same answer (docs/PROTOCOL.md, section 5). Expected protocol outcomes are results;
/// an implementation throws only for caller mistakes, cancellation, or a transport that could not deliver.
/// </remarks>
public interface ISchemeClient
{
    /// <summary>Submits an account-signed withdrawal (flow 2); a retry of the same request replays the stored response.</summary>
    /// <param name="request">The signed request.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result: issued coins' blind signatures and a signed receipt, or the refusal.</returns>
    Task<WithdrawalResult> WithdrawAsync(WithdrawalRequest request, CancellationToken cancellationToken = default);

    /// <summary>Submits an anonymous swap (exact change, rollover; section 5.10); a retry of the same request replays the stored response.</summary>
    /// <param name="request">The swap, each input signed by its coin key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result: the outputs' blind signatures in a signed response, or the refusal (with proofs for a double spend).</returns>
    Task<SwapResult> SwapAsync(SwapRequest request, CancellationToken cancellationToken = default);

    /// <summary>Submits an account-signed recovery of never-spent coins of a revoked keyset (section 5.11); idempotent per account and key.</summary>
    /// <param name="request">The signed recovery request.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result: the replacement coins' blind signatures in a signed response, or the refusal.</returns>
    Task<SwapResult> RecoverAsync(RecoveryRequest request, CancellationToken cancellationToken = default);

    /// <summary>Submits a provider's deposit batch (flow 4); a retry with the same key replays the stored receipt.</summary>
    /// <param name="request">The signed batch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result: a signed receipt with an inclusion proof, rejections, or double-spend proofs.</returns>
    Task<DepositResult> DepositAsync(DepositRequest request, CancellationToken cancellationToken = default);

    /// <summary>Looks up the stored blind signatures of re-derived blinded messages (restore); unknown ones give null.</summary>
    /// <param name="blindedMessages">The blinded messages.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One entry per message.</returns>
    Task<IReadOnlyList<BlindSignature?>> FindBlindSignaturesAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken = default);

    /// <summary>Reports which coins are already spent (restore).</summary>
    /// <param name="coins">The coin ids.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One flag per coin.</returns>
    Task<IReadOnlyList<bool>> AreSpentAsync(IReadOnlyList<CoinId> coins, CancellationToken cancellationToken = default);

    /// <summary>Lists every announced keyset with its log index and revocation flag.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keysets in announcement order.</returns>
    Task<IReadOnlyList<PublishedKeyset>> ListKeysetsAsync(CancellationToken cancellationToken = default);

    /// <summary>Lists every published accreditation registry version, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The registry versions.</returns>
    Task<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken = default);

    /// <summary>Signs and returns the current tree head of the transparency log.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signed tree head.</returns>
    Task<SignedTreeHead> GetTreeHeadAsync(CancellationToken cancellationToken = default);

    /// <summary>
    /// The scheme's latest C2SP checkpoint of the transparency log (docs/PROTOCOL.md 5.12), signed with the scheme key
    /// under its origin and carrying every witness cosignature the scheme has collected for it (5.16).
    /// </summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The checkpoint note; it may lag the log by one cosigning round, and carries no cosignature when the scheme has no witnesses.</returns>
    /// <remarks>Nothing in it is verified by the transport: check it with a <c>WitnessPolicy</c> (5.13).</remarks>
    Task<SignedNote> GetCheckpointAsync(CancellationToken cancellationToken = default);

    /// <summary>An RFC 9162 inclusion proof for a log entry.</summary>
    /// <param name="index">The entry index.</param>
    /// <param name="treeSize">The tree size to prove against.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The proof.</returns>
    Task<InclusionProof> GetInclusionProofAsync(ulong index, ulong treeSize, CancellationToken cancellationToken = default);

    /// <summary>An RFC 9162 consistency proof between two tree sizes.</summary>
    /// <param name="oldSize">The older size.</param>
    /// <param name="newSize">The newer size.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The proof.</returns>
    Task<ConsistencyProof> GetConsistencyProofAsync(ulong oldSize, ulong newSize, CancellationToken cancellationToken = default);

    /// <summary>Reads one log entry.</summary>
    /// <param name="index">The entry index.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or null past the end of the log.</returns>
    Task<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken = default);

    /// <summary>Submits a claim of a provider's refund, signed by the refunded coins' keys (section 5.17); a retry of the same claim replays the stored response.</summary>
    /// <param name="request">The claim.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result: the outputs' blind signatures in a signed response, or the refusal.</returns>
    Task<RefundClaimResult> ClaimRefundAsync(RefundClaimRequest request, CancellationToken cancellationToken = default);

    /// <summary>
    /// A worker's statement (section 5.23): the balance per fund, and the period's contributions (source and
    /// contributor) and withdrawals, signed by the scheme. Only the account's own key may ask.
    /// </summary>
    /// <param name="request">The request, signed with the account key, for <see cref="StatementRequestPurpose.Statement"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The statement, or why not (a wrong key, an unknown account, a stale or replayed request change nothing).</returns>
    Task<StatementResult> GetStatementAsync(StatementRequest request, CancellationToken cancellationToken = default);

    /// <summary>The scheme-signed receipts of a worker's contributions over a period (section 5.23). Only the account's own key may ask.</summary>
    /// <param name="request">The request, signed with the account key, for <see cref="StatementRequestPurpose.Receipts"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The receipts, or why not.</returns>
    Task<ContributionReceiptsResult> GetContributionReceiptsAsync(StatementRequest request, CancellationToken cancellationToken = default);
}
