using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Providers;

/// <summary>
/// The accredited provider role of PB/1: issues signed payment requests, verifies offered coins offline, deposits
/// them in batches (retrying with the same idempotency key and bytes, even after a restart), and only after a
/// verified deposit receipt returns signed spend receipts that name no worker. Its state lives in an
/// <see cref="IProviderStore"/>. Thread-safe. Dispose it to release the keyset public keys it imported for
/// verification (native OpenSSL handles); the receipt key and the store passed in stay the caller's.
/// </summary>
/// <remarks>DESIGN.md section 3 flows 3 and 4; docs/PROTOCOL.md sections 5.4 and 5.5.</remarks>
public sealed partial class AccreditedProvider : IDisposable
{
    private int _disposed;
    private readonly Ed25519SigningKey _receiptKey;
    private readonly Ed25519PublicKey _schemeKey;
    private readonly TimeProvider _time;
    private readonly IProviderStore _store;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<KeysetId, Crypto.BlindRsa.BlindRsaVerifier?> _verifiers = new();
    private readonly DepositSchedule _schedule = new();
    private readonly SemaphoreSlim _scheduleGate = new(1, 1);
    private readonly SemaphoreSlim _checkpointGate = new(1, 1);

    /// <summary>Creates the provider role with its state in memory only (a restart forgets it). The receipt key is not owned.</summary>
    /// <param name="record">The provider's registry record.</param>
    /// <param name="receiptKey">The private key matching <see cref="ProviderRecord.ReceiptKey"/>.</param>
    /// <param name="schemeKey">The scheme's public key (deposit receipts).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key does not match the record.</exception>
    public AccreditedProvider(ProviderRecord record, Ed25519SigningKey receiptKey, Ed25519PublicKey schemeKey, TimeProvider timeProvider)
        : this(record, receiptKey, schemeKey, timeProvider, new InMemoryProviderStore())
    {
    }

    /// <summary>Creates the provider role over a store of its state. Neither the receipt key nor the store is owned.</summary>
    /// <param name="record">The provider's registry record.</param>
    /// <param name="receiptKey">The private key matching <see cref="ProviderRecord.ReceiptKey"/>.</param>
    /// <param name="schemeKey">The scheme's public key (deposit receipts).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="store">The provider's durable state: open requests, verified payments, the deposit in flight, outcomes.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key does not match the record.</exception>
    public AccreditedProvider(ProviderRecord record, Ed25519SigningKey receiptKey, Ed25519PublicKey schemeKey, TimeProvider timeProvider, IProviderStore store)
        : this(record, receiptKey, schemeKey, timeProvider, store, null)
    {
    }

    /// <summary>
    /// Creates the provider role over a store of its state, trusting the scheme's log only through checkpoints its
    /// witness policy accepts (docs/PROTOCOL.md 5.13). Neither the receipt key nor the store is owned.
    /// </summary>
    /// <param name="record">The provider's registry record.</param>
    /// <param name="receiptKey">The private key matching <see cref="ProviderRecord.ReceiptKey"/>.</param>
    /// <param name="schemeKey">The scheme's public key (deposit receipts, checkpoints).</param>
    /// <param name="timeProvider">The clock.</param>
    /// <param name="store">The provider's durable state, including the trusted checkpoint and split-view evidence.</param>
    /// <param name="witnessPolicy">The log's key and the k of n witnesses that must cosign a checkpoint; its log key must be <paramref name="schemeKey"/>. Null trusts the scheme's signature alone.</param>
    /// <exception cref="ArgumentNullException">An argument other than <paramref name="witnessPolicy"/> is null.</exception>
    /// <exception cref="ArgumentException">The key does not match the record, or the policy's log key is not the scheme key.</exception>
    public AccreditedProvider(ProviderRecord record, Ed25519SigningKey receiptKey, Ed25519PublicKey schemeKey, TimeProvider timeProvider, IProviderStore store, WitnessPolicy? witnessPolicy)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(receiptKey);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        ArgumentNullException.ThrowIfNull(store);
        if (!receiptKey.PublicKey.Equals(record.ReceiptKey))
        {
            throw new ArgumentException("The receipt key does not match the record.", nameof(receiptKey));
        }

        if (witnessPolicy is not null && !witnessPolicy.LogKey.PublicKey.Equals(schemeKey))
        {
            throw new ArgumentException("The witness policy's log key is not the scheme key: the scheme signs its checkpoints with it.", nameof(witnessPolicy));
        }

        (Record, _receiptKey, _schemeKey, _time, _store, WitnessPolicy) = (record, receiptKey, schemeKey, timeProvider, store, witnessPolicy);
    }

    /// <summary>The provider's registry record.</summary>
    public ProviderRecord Record { get; }

    /// <summary>Creates and signs a payment request with a fresh random nonce, and stores it as open.</summary>
    /// <param name="amount">The amount; positive.</param>
    /// <param name="purpose">The purpose shown to the worker.</param>
    /// <param name="validity">How long the request stays payable.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signed request.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="purpose"/> is null.</exception>
    /// <exception cref="ArgumentException">The purpose is too long or not NFC.</exception>
    /// <exception cref="ArgumentOutOfRangeException">The amount is zero or the validity negative.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PaymentRequest> CreatePaymentRequestAsync(Amount amount, string purpose, TimeSpan validity, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(purpose);
        ArgumentOutOfRangeException.ThrowIfLessThan(validity, TimeSpan.Zero);
        var now = _time.GetUtcNow();
        var request = PaymentRequest.Sign(Record.Id, amount, purpose, RandomNumberGenerator.GetBytes(PaymentRequest.NonceLength), now, now + validity, _receiptKey);
        await _store.AddOpenRequestAsync(request, cancellationToken).ConfigureAwait(false);
        return request;
    }

    /// <summary>
    /// Verifies offered coins offline against one of this provider's open requests: keysets known and in their
    /// spend window, fund allowed, issuer and spend signatures valid, exact sum. An accepted payment is stored as
    /// verified (the request is no longer open) and waits for <see cref="CreateDepositAsync"/>.
    /// </summary>
    /// <param name="request">The request being paid.</param>
    /// <param name="spends">The wallet's spends; at most <see cref="DepositRequest.MaxSpends"/>, so the payment fits one batch.</param>
    /// <param name="keysets">The keysets the provider trusts (checked in the log).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The verdict.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="spends"/> has more than <see cref="DepositRequest.MaxSpends"/> spends.</exception>
    /// <exception cref="ObjectDisposedException">The provider has been disposed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PaymentVerification> VerifyPaymentAsync(PaymentRequest request, IReadOnlyList<CoinSpend> spends, IReadOnlyCollection<KeysetDescriptor> keysets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(spends);
        ArgumentNullException.ThrowIfNull(keysets);
        if (spends.Count > DepositRequest.MaxSpends)
        {
            throw new ArgumentException("A payment has at most 1024 spends, so that it fits one deposit batch.", nameof(spends));
        }

        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        if ((await _store.GetPaymentStateAsync(request.Id, cancellationToken).ConfigureAwait(false)).Status != ProviderPaymentStatus.Open)
        {
            return PaymentVerification.UnknownRequest;
        }

        var verdict = Check(request, spends, keysets);
        if (verdict != PaymentVerification.Accepted)
        {
            return verdict;
        }

        // Open to verified in one write: of two concurrent submissions for one request, exactly one is accepted.
        if (!await _store.MarkVerifiedAsync(request, spends, cancellationToken).ConfigureAwait(false))
        {
            return PaymentVerification.UnknownRequest;
        }

        RememberPaymentCoins(request, spends);
        return PaymentVerification.Accepted;
    }

    /// <summary>
    /// Gives the deposit to send: the one in flight when there is one, unchanged (same idempotency key, same bytes,
    /// even after a restart); otherwise a new batch under <paramref name="key"/> of the oldest verified payments, whole
    /// payments only, up to <see cref="DepositRequest.MaxSpends"/> spends, stored as in flight before it is returned.
    /// The batch lists its payments in <see cref="PaymentId"/> order and each payment's coins in coin-id order, never
    /// in the order they were paid.
    /// Send it, and hand the answer to <see cref="CompleteDepositAsync"/>; on a transport failure send it again.
    /// </summary>
    /// <param name="key">The idempotency key of a new batch; unused when a deposit is in flight.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The batch, or null when nothing waits.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<DepositRequest?> CreateDepositAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (await _store.GetInFlightDepositAsync(cancellationToken).ConfigureAwait(false) is { } inFlight)
        {
            return inFlight;
        }

        var batch = new List<VerifiedPayment>();
        int count = 0;
        foreach (var payment in await _store.ListVerifiedAsync(DepositRequest.MaxSpends, cancellationToken).ConfigureAwait(false))
        {
            if (count + payment.Spends.Count > DepositRequest.MaxSpends)
            {
                break;
            }

            batch.Add(payment);
            count += payment.Spends.Count;
        }

        // The order in which workers paid is a linking signal (issue 16): the batch lists its payments by PaymentId, a
        // hash, and each payment's coins by coin id, so nothing the scheme receives or stores follows arrival order.
        var spends = batch.OrderBy(p => p.Request.Id).SelectMany(p => p.Spends.OrderBy(s => s.Coin.Id)).ToList();
        return spends.Count == 0 ? null : await _store.BeginDepositAsync(new DepositRequest(Record.Id, key, spends), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Gives the deposit to send now under <paramref name="policy"/>: the one in flight when there is one (a retry is
    /// never delayed); otherwise a new batch, as <see cref="CreateDepositAsync"/> makes it, only once the policy's
    /// batch is ready (<see cref="ProviderDepositPolicy.MinPayments"/> payments wait, or payments have waited
    /// <see cref="ProviderDepositPolicy.MaxWait"/> since this provider first found one waiting) and the random delay
    /// drawn for that batch has passed; null until then. Call it periodically: the wait is measured from the first
    /// call that finds a payment waiting. The waiting time and the delay are kept in memory: after a restart a batch
    /// waits again from then. Concurrent calls are serialised, so one ready batch goes out once and a call that
    /// overlapped it cannot start the next batch's clock early.
    /// </summary>
    /// <param name="key">The idempotency key of a new batch; unused when a deposit is in flight or none is due.</param>
    /// <param name="policy">The schedule (<see cref="ProviderDepositPolicy.Default"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The batch to send, or null when none is due.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ObjectDisposedException">The provider has been disposed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    /// <remarks>docs/PROTOCOL.md section 5.5, "Deposit schedule".</remarks>
    public async Task<DepositRequest?> CreateScheduledDepositAsync(IdempotencyKey key, ProviderDepositPolicy policy, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(policy);
        ObjectDisposedException.ThrowIf(_disposed != 0, this);

        // The count of waiting payments, the schedule and the new batch are one step: a call that read the count
        // before another call sent the batch would otherwise arm the next batch's clock and delay with a stale count.
        await _scheduleGate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (await _store.GetInFlightDepositAsync(cancellationToken).ConfigureAwait(false) is { } inFlight)
            {
                return inFlight;
            }

            int waiting = (await _store.ListVerifiedAsync(policy.MinPayments, cancellationToken).ConfigureAwait(false)).Count;
            var now = _time.GetUtcNow();
            if (!_schedule.IsDue(waiting, now, policy))
            {
                return null;
            }

            var deposit = await CreateDepositAsync(key, cancellationToken).ConfigureAwait(false);
            _schedule.Reset();
            return deposit;
        }
        finally
        {
            _scheduleGate.Release();
        }
    }

    /// <summary>
    /// Handles the scheme's answer to a deposit, payment by payment (docs/PROTOCOL.md section 5.5). When the answer
    /// verifies (a receipt, with the scheme's signature, tree head and inclusion, wherever a payment was credited):
    /// each accepted or already deposited payment is paid and gets a spend receipt; each rejected or double-spent one
    /// leaves the queue with its reason or proofs; the deposit in flight is done. An answer that does not verify
    /// changes nothing: re-send the same deposit. <see cref="DepositStatus.IdempotencyKeyReused"/> (and a whole-batch
    /// refusal from a scheme without per-payment outcomes) forgets the deposit in flight, since those bytes can never
    /// be accepted, and keeps its payments queued for a new batch under a fresh key.
    /// </summary>
    /// <param name="request">The deposit sent.</param>
    /// <param name="result">The scheme's result.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The spend receipts for the workers of the payments this call settled as paid; empty otherwise.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<(PaymentRequest Request, SpendReceipt Receipt)>> CompleteDepositAsync(DepositRequest request, DepositResult result, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(result);
        var (kind, outcomes) = DepositSettlement.Read(request, result, _schemeKey);
        if (kind == DepositSettlement.Kind.Rebatch)
        {
            await _store.ClearInFlightDepositAsync(request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
        }

        if (kind != DepositSettlement.Kind.Settle)
        {
            return [];
        }

        var now = _time.GetUtcNow();
        var requests = request.Spends.Select(s => s.Request).DistinctBy(r => r.Id).ToDictionary(r => r.Id);
        var settled = outcomes.Select(o => o.Status is DepositPaymentStatus.Accepted or DepositPaymentStatus.AlreadyDeposited
            ? ProviderPaymentState.Paid(o.Payment, SpendReceipt.Sign(requests[o.Payment], now, _receiptKey))
            : ProviderPaymentState.Rejected(o)).ToList();
        await KeepRefundableCoinsAsync(request, settled, cancellationToken).ConfigureAwait(false);
        var recorded = await _store.SettleDepositAsync(request.IdempotencyKey, settled, cancellationToken).ConfigureAwait(false);
        return [.. recorded.Where(s => s.Status == ProviderPaymentStatus.Paid).Select(s => (requests[s.Payment], s.Receipt!))];
    }

    /// <summary>Tells where a payment stands: unknown, open, verified (awaiting a deposit), paid with its spend receipt, or rejected with the scheme's reason.</summary>
    /// <param name="payment">The payment (<see cref="PaymentRequest.Id"/>).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The payment's state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payment"/> is null.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<ProviderPaymentState> GetPaymentStatusAsync(PaymentId payment, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return _store.GetPaymentStateAsync(payment, cancellationToken).AsTask();
    }

    /// <inheritdoc/>
    public override string ToString() => $"AccreditedProvider({Record.Id})";

    /// <summary>Releases the imported keyset public keys; verifying afterwards throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        foreach (var verifier in _verifiers.Values)
        {
            verifier?.PublicKey.Dispose();
        }

        _verifiers.Clear();
    }

    // Keyset public keys are imported once: verifying a coin is then one RSA public operation.
    private Crypto.BlindRsa.BlindRsaVerifier? Verifier(KeysetDescriptor descriptor)
    {
        ObjectDisposedException.ThrowIf(_disposed != 0, this);
        return _verifiers.GetOrAdd(descriptor.Id, _ =>
        {
            try
            {
                return new Crypto.BlindRsa.BlindRsaVerifier(descriptor.Algorithm, descriptor.ImportPublicKey());
            }
            catch (CryptographicException)
            {
                return null;
            }
        });
    }

    // The offline checks of section 5.4, in a fixed order; the first failure is the verdict.
    private PaymentVerification Check(PaymentRequest request, IReadOnlyList<CoinSpend> spends, IReadOnlyCollection<KeysetDescriptor> keysets)
    {
        if (request.Details is not { } details)
        {
            return PaymentVerification.NoDetails;
        }

        var now = _time.GetUtcNow();
        if (now > details.ExpiresAt)
        {
            return PaymentVerification.Expired;
        }

        var byId = keysets.ToDictionary(k => k.Id);
        var seen = new HashSet<CoinId>();
        var total = Amount.Zero;
        foreach (var spend in spends)
        {
            if (spend.Request.Id != request.Id)
            {
                return PaymentVerification.WrongRequest;
            }

            if (!byId.TryGetValue(spend.Coin.Keyset, out var descriptor))
            {
                return PaymentVerification.UnknownKeyset;
            }

            if (!descriptor.IsSpendable(now) || !request.OverlapsDay(descriptor.WithdrawFrom, descriptor.SpendUntil))
            {
                return PaymentVerification.OutsideSpendWindow;
            }

            if (!Record.Accepts(descriptor.Fund))
            {
                return PaymentVerification.FundNotAllowed;
            }

            if (Verifier(descriptor) is not { } verifier || !spend.Coin.VerifyIssuerWith(descriptor, verifier))
            {
                return PaymentVerification.BadIssuerSignature;
            }

            if (!spend.VerifySpendSignature())
            {
                return PaymentVerification.BadSpendSignature;
            }

            if (!seen.Add(spend.Coin.Id))
            {
                return PaymentVerification.AmountMismatch;
            }

            total += descriptor.Denomination;
        }

        return total == request.Amount ? PaymentVerification.Accepted : PaymentVerification.AmountMismatch;
    }

    /// <summary>The deposit schedule's memory: since when payments wait, and when the ready batch goes out. Used under the schedule gate.</summary>
    private sealed class DepositSchedule
    {
        private DateTimeOffset? _waitingSince;
        private DateTimeOffset? _dueAt;

        public bool IsDue(int waiting, DateTimeOffset now, ProviderDepositPolicy policy)
        {
            if (waiting == 0)
            {
                Reset();
                return false;
            }

            _waitingSince ??= now;

            // The delay is drawn once, when the batch becomes ready: drawing it at every call would make the batch
            // leave at the first small draw, which is close to the moment it became ready.
            if (_dueAt is null && (waiting >= policy.MinPayments || now - _waitingSince.Value >= policy.MaxWait))
            {
                _dueAt = now + RandomDelay(policy.MaxJitter);
            }

            return _dueAt is { } due && due <= now;
        }

        public void Reset() => (_waitingSince, _dueAt) = (null, null);

        // Uniform in [0, max) from the OS CSPRNG, to the tick for any delay up to a few days.
        private static TimeSpan RandomDelay(TimeSpan max) =>
            max <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks((long)(max.Ticks * (RandomNumberGenerator.GetInt32(int.MaxValue) / (double)int.MaxValue)));
    }
}
