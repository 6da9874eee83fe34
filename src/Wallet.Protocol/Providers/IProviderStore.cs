using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Providers;

/// <summary>
/// An accredited provider's durable state (docs/PROTOCOL.md section 5.5): the payment requests it issued and that are
/// still open, the payments whose coins verified and wait for a deposit, the one deposit in flight (its exact bytes,
/// so a retry after a restart re-sends them under the same key), and the settled outcome of every deposited payment:
/// paid with its spend receipt, or rejected with the scheme's reason or proofs; and the scheme's checkpoint the provider
/// trusts, with any split-view evidence against it (section 5.13).
/// </summary>
/// <remarks>
/// Every method is one atomic change: a durable store commits it in one transaction, so a crash leaves either the
/// whole change or none of it. Implementations are thread-safe. A payment is in at most one of open, verified and
/// settled; once settled, its outcome never changes.
/// </remarks>
public interface IProviderStore
{
    /// <summary>Records an issued payment request as open. Adding the same request again changes nothing.</summary>
    /// <param name="request">The signed request.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the request is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    ValueTask AddOpenRequestAsync(PaymentRequest request, CancellationToken cancellationToken);

    /// <summary>Moves an open request to the verified payments with its spends, in one write.</summary>
    /// <param name="request">The paid request.</param>
    /// <param name="spends">The verified spends.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the request was open (and is now verified); false leaves the store unchanged.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    ValueTask<bool> MarkVerifiedAsync(PaymentRequest request, IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken);

    /// <summary>Lists the oldest verified payments, in the order they were verified.</summary>
    /// <param name="limit">The most payments returned; positive.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Up to <paramref name="limit"/> payments.</returns>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="limit"/> is not positive.</exception>
    ValueTask<IReadOnlyList<VerifiedPayment>> ListVerifiedAsync(int limit, CancellationToken cancellationToken);

    /// <summary>Gets the deposit in flight: sent, or about to be, and not settled yet.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The deposit, with the exact bytes first stored, or null.</returns>
    ValueTask<DepositRequest?> GetInFlightDepositAsync(CancellationToken cancellationToken);

    /// <summary>Stores <paramref name="deposit"/> as the deposit in flight unless one already is.</summary>
    /// <param name="deposit">The batch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The deposit in flight afterwards: <paramref name="deposit"/>, or the one already stored (first write wins).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="deposit"/> is null.</exception>
    ValueTask<DepositRequest> BeginDepositAsync(DepositRequest deposit, CancellationToken cancellationToken);

    /// <summary>Forgets the deposit in flight if it is the one under <paramref name="key"/>; its payments stay verified.</summary>
    /// <param name="key">The deposit's idempotency key.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether a deposit was forgotten.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    ValueTask<bool> ClearInFlightDepositAsync(IdempotencyKey key, CancellationToken cancellationToken);

    /// <summary>
    /// Settles a deposit in one write: each state's payment that is still verified leaves the queue with its outcome
    /// (paid or rejected), and the deposit in flight under <paramref name="key"/> is forgotten. A payment that is not
    /// verified (already settled, or never verified) is skipped, so a payment is settled exactly once.
    /// </summary>
    /// <param name="key">The deposit's idempotency key.</param>
    /// <param name="outcomes">The outcomes; each <see cref="ProviderPaymentStatus.Paid"/> or <see cref="ProviderPaymentStatus.Rejected"/>.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The outcomes recorded by this call, in the given order.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">An outcome is neither paid nor rejected.</exception>
    ValueTask<IReadOnlyList<ProviderPaymentState>> SettleDepositAsync(IdempotencyKey key, IReadOnlyList<ProviderPaymentState> outcomes, CancellationToken cancellationToken);

    /// <summary>Gets where a payment stands: unknown, open, verified, or settled with its receipt or rejection.</summary>
    /// <param name="payment">The payment.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    ValueTask<ProviderPaymentState> GetPaymentStateAsync(PaymentId payment, CancellationToken cancellationToken);

    /// <summary>Reads the scheme's checkpoint the provider trusts (docs/PROTOCOL.md 5.13).</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The checkpoint note as accepted, with its cosignatures, or null before the first.</returns>
    ValueTask<SignedNote?> GetCheckpointAsync(CancellationToken cancellationToken);

    /// <summary>Replaces the trusted checkpoint if it is still the one the caller read (a compare-and-set on the note's text form).</summary>
    /// <param name="expected">The note <see cref="GetCheckpointAsync"/> returned, or null if it returned none.</param>
    /// <param name="checkpoint">The newly accepted checkpoint note.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was stored; false leaves the store unchanged (another writer moved it first).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="checkpoint"/> is null.</exception>
    ValueTask<bool> TryReplaceCheckpointAsync(SignedNote? expected, SignedNote checkpoint, CancellationToken cancellationToken);

    /// <summary>Keeps split-view evidence: two checkpoints the scheme's log signed that cannot both be true. The same evidence twice is kept once.</summary>
    /// <param name="evidence">The evidence.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the evidence is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="evidence"/> is null.</exception>
    ValueTask AddSplitViewAsync(SplitViewEvidence evidence, CancellationToken cancellationToken);

    /// <summary>Lists the split-view evidence kept, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The evidence.</returns>
    ValueTask<IReadOnlyList<SplitViewEvidence>> ListSplitViewsAsync(CancellationToken cancellationToken);

    /// <summary>Keeps the coins a payment was paid with, once the scheme credited it, so it can be refunded (docs/PROTOCOL.md 5.17). First write wins.</summary>
    /// <param name="payment">The payment.</param>
    /// <param name="coins">Its coins.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the coins are stored.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    ValueTask PutPaymentCoinsAsync(PaymentId payment, IReadOnlyList<CoinId> coins, CancellationToken cancellationToken);

    /// <summary>Reads the coins a credited payment was paid with.</summary>
    /// <param name="payment">The payment.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The coins, ascending; empty when none are kept.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    ValueTask<IReadOnlyList<CoinId>> GetPaymentCoinsAsync(PaymentId payment, CancellationToken cancellationToken);

    /// <summary>Keeps a refund the provider signed (docs/PROTOCOL.md 5.17). First write wins per refund id.</summary>
    /// <param name="refund">The signed refund.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether it was stored (false: a refund with this id already was).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="refund"/> is null.</exception>
    ValueTask<bool> AddRefundAsync(ProviderRefund refund, CancellationToken cancellationToken);

    /// <summary>Lists the refunds of a payment, in the order they were stored.</summary>
    /// <param name="payment">The payment.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The refunds; empty when there are none.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    ValueTask<IReadOnlyList<ProviderRefund>> ListRefundsAsync(PaymentId payment, CancellationToken cancellationToken);

    /// <summary>Keeps a dues mandate the union issued (docs/PROTOCOL.md 5.19). A mandate whose id is kept already changes nothing.</summary>
    /// <param name="mandate">The signed mandate.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when the mandate is stored.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    ValueTask AddMandateAsync(DuesMandate mandate, CancellationToken cancellationToken);

    /// <summary>Gets a kept mandate.</summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The mandate, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    ValueTask<DuesMandate?> GetMandateAsync(MandateId mandate, CancellationToken cancellationToken);

    /// <summary>Lists the kept mandates, by mandate id.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The mandates.</returns>
    ValueTask<IReadOnlyList<DuesMandate>> ListMandatesAsync(CancellationToken cancellationToken);

    /// <summary>
    /// Records an issued payment request as open (as <see cref="AddOpenRequestAsync"/> does) and binds it to one mandate
    /// period, in one write: once the request's payment is settled as paid, that period counts as paid.
    /// </summary>
    /// <param name="request">The signed request.</param>
    /// <param name="period">The mandate period it pays.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes when both are stored.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    ValueTask AddMandateRequestAsync(PaymentRequest request, MandatePeriod period, CancellationToken cancellationToken);

    /// <summary>
    /// Lists a mandate's paid periods: those bound to a request whose payment is settled as paid. The membership ledger is
    /// read from it, so it moves in the same write that settles a deposit.
    /// </summary>
    /// <param name="mandate">The mandate's id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The paid periods, ascending, each once.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="mandate"/> is null.</exception>
    ValueTask<IReadOnlyList<uint>> ListPaidPeriodsAsync(MandateId mandate, CancellationToken cancellationToken);
}
