namespace Wallet.Protocol.Ledger;

/// <summary>
/// The scheme's double-entry ledger: each operation is checked, then recorded as one balanced, hash-chained
/// journal entry in one store transaction, together with its outcome under the request's idempotency key.
/// </summary>
/// <remarks>
/// DESIGN.md section 4 and docs/ledger.md. Operations take value-typed inputs and contain no cryptography;
/// the protocol layer verifies signatures first and then records the movement here. Expected refusals are
/// <see cref="LedgerResult"/> statuses; <see cref="ArgumentException"/>s are caller mistakes. Arithmetic that
/// would leave the range of a 64-bit integer is refused as <see cref="LedgerStatus.AmountOverflow"/>.
/// Idempotency keys are global to the ledger: the protocol layer must scope each client's keys by its
/// authenticated account (for example with a prefix), or one client could replay or block another's request.
/// </remarks>
public sealed partial class SchemeLedger
{
    private const int MaxProblems = 100;

    private readonly ILedgerStore _store;
    private readonly TimeProvider _timeProvider;

    /// <summary>Creates a ledger over a store.</summary>
    /// <param name="store">The store.</param>
    /// <param name="timeProvider">The clock that timestamps entries.</param>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    public SchemeLedger(ILedgerStore store, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(timeProvider);
        _store = store;
        _timeProvider = timeProvider;
    }

    /// <summary>Credits a worker's account from a contribution source.</summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="source">The source type.</param>
    /// <param name="worker">The worker credited.</param>
    /// <param name="amount">The amount, more than zero.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns><see cref="LedgerStatus.Applied"/>, <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="worker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero or <paramref name="source"/> is undefined.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>DESIGN.md section 3, flow 1.</remarks>
    public Task<LedgerResult> ContributeAsync(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(worker);
        var line = new ContributionLine(key, source, worker, amount);
        return ExecuteAsync(key, EntryKind.Contribution, ContributionRequest(line), ContributionDecision(line), cancellationToken);
    }

    /// <summary>
    /// Debits a worker's account for coins to be issued: per fund of the coins (<see cref="KeysetAmount.Fund"/>), the
    /// worker's sub-balance in that fund (docs/PROTOCOL.md section 5.22); refused, with nothing moved, if it would
    /// overdraw any of them.
    /// </summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="worker">The worker debited.</param>
    /// <param name="coins">One item per coin to be blind-signed: its keyset and value.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns>
    /// <see cref="LedgerStatus.Applied"/>; <see cref="LedgerStatus.FundRestricted"/> when a fund's sub-balance is short
    /// but the worker's sub-balances together cover the coins, <see cref="LedgerStatus.InsufficientFunds"/> when they do
    /// not; <see cref="LedgerStatus.KeysetExpired"/>, <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="worker"/>, <paramref name="coins"/> or an item of it is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="coins"/> is empty.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>DESIGN.md section 3, flow 2.</remarks>
    public Task<LedgerResult> WithdrawAsync(IdempotencyKey key, AccountId worker, IReadOnlyList<KeysetAmount> coins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(worker);
        RequireItems(coins, nameof(coins));

        var request = Request(EntryKind.Withdrawal);
        request.Ascii(worker.Value);
        WriteOutputs(request, coins);

        return ExecuteAsync(key, EntryKind.Withdrawal, request, async (tx, ct) =>
        {
            if (await AnyExpiredAsync(tx, coins.Select(c => c.Keyset), ct).ConfigureAwait(false))
            {
                return Plan.Refuse(LedgerStatus.KeysetExpired);
            }

            return await WithdrawalPlanAsync(tx, worker, coins, ct).ConfigureAwait(false);
        }, cancellationToken);
    }

    /// <summary>
    /// Records a provider's batch of coins as spent and credits the provider. A coin already spent is not
    /// credited and is reported in <see cref="LedgerResult.Conflicts"/>; the other coins are recorded (first
    /// deposit wins). If every coin conflicts, nothing moves.
    /// </summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="provider">The provider credited.</param>
    /// <param name="coins">
    /// The coins, each verified by the protocol layer; no coin twice. <see cref="SpentCoin.Value"/> is trusted
    /// as given (the ledger bounds it only by the keyset's outstanding total), so the protocol layer must pass
    /// the denomination of the keyset that signed the coin, never a value taken from the request.
    /// </param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns>
    /// <see cref="LedgerStatus.Applied"/> (possibly with conflicts), <see cref="LedgerStatus.DoubleSpend"/>,
    /// <see cref="LedgerStatus.KeysetExpired"/>, <see cref="LedgerStatus.OutstandingExceeded"/>, <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="provider"/>, <paramref name="coins"/> or an item of it is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="coins"/> is empty or names a coin twice.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>DESIGN.md section 3, flow 4.</remarks>
    public Task<LedgerResult> DepositAsync(IdempotencyKey key, AccountId provider, IReadOnlyList<SpentCoin> coins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(provider);
        RequireDistinctCoins(coins, nameof(coins));
        var payable = LedgerAccount.Provider(provider);

        var request = Request(EntryKind.Deposit);
        request.Ascii(provider.Value);
        WriteCoins(request, coins);

        return ExecuteAsync(key, EntryKind.Deposit, request, async (tx, ct) =>
        {
            if (await AnyExpiredAsync(tx, coins.Select(c => c.Keyset), ct).ConfigureAwait(false))
            {
                return Plan.Refuse(LedgerStatus.KeysetExpired);
            }

            var (accepted, conflicts) = await PartitionSpentAsync(tx, coins, ct).ConfigureAwait(false);
            if (accepted.Count == 0)
            {
                return Plan.Refuse(LedgerStatus.DoubleSpend, conflicts);
            }

            var redemptions = await RedeemPostingsAsync(tx, accepted, ct).ConfigureAwait(false);
            if (redemptions is null)
            {
                return Plan.Refuse(LedgerStatus.OutstandingExceeded);
            }

            long total = Amount.Sum(accepted.Select(c => c.Value)).MinorUnits;
            redemptions.Add(new Posting(payable, total));
            return Plan.Apply(redemptions, accepted, conflicts: conflicts);
        }, cancellationToken);
    }

    /// <summary>
    /// Records input coins as spent and issues the same value as new coins (exact change, rollover). All or
    /// nothing: if any input was already spent, nothing moves and the conflicts are reported.
    /// </summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="inputs">
    /// The coins spent; no coin twice. <see cref="SpentCoin.Value"/> is trusted as given (the ledger bounds it
    /// only by the keyset's outstanding total), so the protocol layer must pass the denomination of the keyset
    /// that signed the coin, never a value taken from the request.
    /// </param>
    /// <param name="outputs">The coins to be blind-signed, of the same total value.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns>
    /// <see cref="LedgerStatus.Applied"/>, <see cref="LedgerStatus.ValueMismatch"/>, <see cref="LedgerStatus.DoubleSpend"/>,
    /// <see cref="LedgerStatus.KeysetExpired"/>, <see cref="LedgerStatus.OutstandingExceeded"/>, <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException">An argument or an item of a list is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="inputs"/> or <paramref name="outputs"/> is empty, or <paramref name="inputs"/> names a coin twice.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>DESIGN.md section 3, flow 5.</remarks>
    public Task<LedgerResult> SwapAsync(IdempotencyKey key, IReadOnlyList<SpentCoin> inputs, IReadOnlyList<KeysetAmount> outputs, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        RequireDistinctCoins(inputs, nameof(inputs));
        RequireItems(outputs, nameof(outputs));

        var request = Request(EntryKind.Swap);
        WriteCoins(request, inputs);
        WriteOutputs(request, outputs);

        return ExecuteAsync(key, EntryKind.Swap, request, async (tx, ct) =>
        {
            if (Amount.Sum(inputs.Select(c => c.Value)) != Amount.Sum(outputs.Select(c => c.Value)))
            {
                return Plan.Refuse(LedgerStatus.ValueMismatch);
            }

            if (await AnyExpiredAsync(tx, inputs.Select(c => c.Keyset).Concat(outputs.Select(o => o.Keyset)), ct).ConfigureAwait(false))
            {
                return Plan.Refuse(LedgerStatus.KeysetExpired);
            }

            var (_, conflicts) = await PartitionSpentAsync(tx, inputs, ct).ConfigureAwait(false);
            if (conflicts.Count > 0)
            {
                return Plan.Refuse(LedgerStatus.DoubleSpend, conflicts);
            }

            var postings = await RedeemPostingsAsync(tx, inputs, ct).ConfigureAwait(false);
            if (postings is null)
            {
                return Plan.Refuse(LedgerStatus.OutstandingExceeded);
            }

            postings.AddRange(IssuePostings(outputs));
            return Plan.Apply(postings, inputs);
        }, cancellationToken);
    }

    /// <summary>
    /// Expires a keyset: its whole outstanding value moves to the expired account and the keyset closes to
    /// every further withdrawal, deposit and swap.
    /// </summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="keyset">The keyset, past its <c>deposit_until</c>.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns><see cref="LedgerStatus.Applied"/>, <see cref="LedgerStatus.KeysetExpired"/> (already expired), <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="keyset"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>DESIGN.md section 3, flow 6.</remarks>
    public Task<LedgerResult> ExpireAsync(IdempotencyKey key, KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(keyset);
        var outstanding = LedgerAccount.Outstanding(keyset);

        var request = Request(EntryKind.Expiry);
        request.Fixed(keyset.Bytes);

        return ExecuteAsync(key, EntryKind.Expiry, request, async (tx, ct) =>
        {
            var totals = await tx.GetKeysetAsync(keyset, ct).ConfigureAwait(false);
            if (totals.IsExpired)
            {
                return Plan.Refuse(LedgerStatus.KeysetExpired);
            }

            long balance = await tx.GetBalanceAsync(outstanding, ct).ConfigureAwait(false);
            return Plan.Apply(
                [new Posting(outstanding, -balance), new Posting(LedgerAccount.Expired, balance)],
                closed: [keyset]);
        }, cancellationToken);
    }

    /// <summary>
    /// Directs value by the default-allocation rule: from the expired account, or from a worker balance never
    /// withdrawn, to the default provider's payable account or to the default pool.
    /// </summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="from"><see cref="LedgerAccount.Expired"/> or a worker's sub-balance in one fund (<see cref="LedgerAccount.Worker"/> or <see cref="LedgerAccount.WorkerFund"/>).</param>
    /// <param name="to">A provider payable account or <see cref="LedgerAccount.DefaultPool"/>.</param>
    /// <param name="amount">The amount, more than zero.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns><see cref="LedgerStatus.Applied"/>, <see cref="LedgerStatus.InsufficientFunds"/>, <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="from"/> or <paramref name="to"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="from"/> or <paramref name="to"/> is an account of the wrong kind.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    /// <remarks>DESIGN.md section 3, flow 6.</remarks>
    public Task<LedgerResult> AllocateDefaultAsync(IdempotencyKey key, LedgerAccount from, LedgerAccount to, Amount amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(to);
        if (from.Kind is not (LedgerAccountKind.Expired or LedgerAccountKind.Worker or LedgerAccountKind.WorkerFund))
        {
            throw new ArgumentException("Default allocation draws on the expired account or a worker's sub-balance.", nameof(from));
        }

        if (to.Kind is not (LedgerAccountKind.ProviderPayable or LedgerAccountKind.DefaultPool))
        {
            throw new ArgumentException("Default allocation pays a provider or the default pool.", nameof(to));
        }

        RequirePositive(amount, nameof(amount));

        var request = Request(EntryKind.DefaultAllocation);
        request.U8((byte)from.Kind);
        request.Ascii(from.Key);
        request.U8((byte)to.Kind);
        request.Ascii(to.Key);
        request.I64(amount.MinorUnits);

        return ExecuteAsync(key, EntryKind.DefaultAllocation, request, async (tx, ct) =>
        {
            long balance = await tx.GetBalanceAsync(from, ct).ConfigureAwait(false);
            return balance < amount.MinorUnits
                ? Plan.Refuse(LedgerStatus.InsufficientFunds)
                : Plan.Apply([new Posting(from, -amount.MinorUnits), new Posting(to, amount.MinorUnits)]);
        }, cancellationToken);
    }
}
