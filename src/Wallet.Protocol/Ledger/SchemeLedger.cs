using System.Security.Cryptography;
using Wallet.Protocol.Wire;

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
public sealed class SchemeLedger
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
        RequirePositive(amount, nameof(amount));
        var from = LedgerAccount.Contribution(source);
        var to = LedgerAccount.Worker(worker);

        var request = Request(EntryKind.Contribution);
        request.U8((byte)source);
        request.Ascii(worker.Value);
        request.I64(amount.MinorUnits);

        return ExecuteAsync(key, EntryKind.Contribution, request, (_, _) => ValueTask.FromResult(Plan.Apply([
            new Posting(from, -amount.MinorUnits),
            new Posting(to, amount.MinorUnits),
        ])), cancellationToken);
    }

    /// <summary>Debits a worker's account for coins to be issued; refused, with nothing moved, if it would overdraw.</summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="worker">The worker debited.</param>
    /// <param name="coins">One item per coin to be blind-signed: its keyset and value.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns><see cref="LedgerStatus.Applied"/>, <see cref="LedgerStatus.InsufficientFunds"/>, <see cref="LedgerStatus.KeysetExpired"/>, <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.</returns>
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
        var account = LedgerAccount.Worker(worker);

        var request = Request(EntryKind.Withdrawal);
        request.Ascii(worker.Value);
        WriteOutputs(request, coins);

        return ExecuteAsync(key, EntryKind.Withdrawal, request, async (tx, ct) =>
        {
            if (await AnyExpiredAsync(tx, coins.Select(c => c.Keyset), ct).ConfigureAwait(false))
            {
                return Plan.Refuse(LedgerStatus.KeysetExpired);
            }

            var total = Amount.Sum(coins.Select(c => c.Value));
            long balance = await tx.GetBalanceAsync(account, ct).ConfigureAwait(false);
            if (balance < total.MinorUnits)
            {
                return Plan.Refuse(LedgerStatus.InsufficientFunds);
            }

            var postings = new List<Posting> { new(account, -total.MinorUnits) };
            postings.AddRange(IssuePostings(coins));
            return Plan.Apply(postings);
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
    /// <param name="from"><see cref="LedgerAccount.Expired"/> or a worker account.</param>
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
        if (from.Kind is not (LedgerAccountKind.Expired or LedgerAccountKind.Worker))
        {
            throw new ArgumentException("Default allocation draws on the expired account or a worker account.", nameof(from));
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

    /// <summary>An account's committed balance.</summary>
    /// <param name="account">The account.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The balance in minor units; zero for an account never posted to.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="account"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await tx.GetBalanceAsync(account, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>A keyset's committed conservation counters.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The counters.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<KeysetTotals> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await tx.GetKeysetAsync(keyset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entry that spent a coin (for restore: "which of my coins are spent?").</summary>
    /// <param name="coin">The coin.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry's sequence number, or <see langword="null"/> when unspent.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="coin"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<long?> FindSpentAsync(CoinId coin, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coin);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await tx.FindSpentAsync(coin, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The entry applied under an idempotency key (so a caller finishing a crashed multi-step operation can read what was committed).</summary>
    /// <param name="key">The idempotency key.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The entry, or <see langword="null"/> when nothing was applied under the key.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<JournalEntry?> FindEntryAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var outcome = await tx.FindOutcomeAsync(key, cancellationToken).ConfigureAwait(false);
        return outcome is { Status: LedgerStatus.Applied, EntrySequence: long sequence }
            ? await tx.GetEntryAsync(sequence, cancellationToken).ConfigureAwait(false)
            : null;
    }

    /// <summary>The committed journal head (for checkpoints in the transparency log).</summary>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>The head.</returns>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<JournalHead> GetHeadAsync(CancellationToken cancellationToken = default)
    {
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        return await tx.GetHeadAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Replays the whole journal from one snapshot, streaming: checks the hash chain and sequence, rebuilds
    /// every balance and keyset counter by folding the entries, and compares them with the store's
    /// materialised state and with every invariant of DESIGN.md section 4. It also checks that every coin an
    /// entry spends is recorded as spent by exactly that entry, that the store records no other spent coin,
    /// and that every entry has its applied outcome under its idempotency key. Memory grows with the number of
    /// accounts and keysets, never with the journal's length (spent coins and outcomes are looked up per entry).
    /// </summary>
    /// <param name="cancellationToken">Cancels the replay.</param>
    /// <returns>The report; <see cref="LedgerVerification.IsValid"/> when everything agrees.</returns>
    /// <exception cref="LedgerStoreException">The store failed or holds an entry that does not decode.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<LedgerVerification> VerifyAsync(CancellationToken cancellationToken = default)
    {
        var problems = new List<string>();
        void Problem(string text)
        {
            if (problems.Count < MaxProblems)
            {
                problems.Add(text);
            }
        }

        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var balances = new Dictionary<LedgerAccount, long>();
        var keysets = new Dictionary<KeysetId, KeysetTotals>();
        var head = JournalHead.Empty;
        long journalCoins = 0;
        long entries = 0;
        await foreach (var entry in tx.ReadJournalAsync(1, cancellationToken).ConfigureAwait(false))
        {
            entries++;
            if (entry.Sequence != head.Sequence + 1)
            {
                Problem($"entry {entry.Sequence} follows entry {head.Sequence}");
            }

            if (entry.PreviousHash != head.Hash)
            {
                Problem($"entry {entry.Sequence} does not chain to the hash of entry {head.Sequence}");
            }

            try
            {
                foreach (var posting in entry.Postings)
                {
                    balances.TryGetValue(posting.Account, out long before);
                    long after = checked(before + posting.Delta);
                    balances[posting.Account] = after;
                    if (after < 0 && posting.Account.IsNonNegative)
                    {
                        Problem($"entry {entry.Sequence} takes {posting.Account} negative ({after})");
                    }
                }

                foreach (var effect in entry.KeysetEffects)
                {
                    var totals = keysets.TryGetValue(effect.Keyset, out var t) ? t : KeysetTotals.Empty(effect.Keyset);
                    if (totals.IsExpired && (effect.Issued > Amount.Zero || effect.Deposited > Amount.Zero || effect.SwappedIn > Amount.Zero || effect.Closes))
                    {
                        Problem($"entry {entry.Sequence} moves value of expired keyset {effect.Keyset}");
                    }

                    keysets[effect.Keyset] = totals.Apply(effect);
                }
            }
            catch (OverflowException)
            {
                Problem($"entry {entry.Sequence} takes a balance or keyset counter beyond the range of a 64-bit integer");
            }

            // One indexed lookup per coin keeps memory flat; a coin spent by two entries shows up here because
            // the store can name only one of them.
            foreach (var coin in entry.SpentCoins)
            {
                journalCoins++;
                long? spentIn = await tx.FindSpentAsync(coin.Coin, cancellationToken).ConfigureAwait(false);
                if (spentIn != entry.Sequence)
                {
                    Problem(spentIn is long other
                        ? $"entry {entry.Sequence} spends coin {coin.Coin}, which the store records as spent by entry {other}"
                        : $"entry {entry.Sequence} spends coin {coin.Coin}, which the store does not record as spent");
                }
            }

            var outcome = await tx.FindOutcomeAsync(entry.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (outcome is null || outcome.EntrySequence != entry.Sequence || outcome.Status != LedgerStatus.Applied)
            {
                Problem($"entry {entry.Sequence} has no applied outcome under its idempotency key '{entry.IdempotencyKey}'");
            }

            head = new JournalHead(entry.Sequence, entry.Hash);
        }

        var storedHead = await tx.GetHeadAsync(cancellationToken).ConfigureAwait(false);
        if (storedHead != head)
        {
            Problem($"the store's head is entry {storedHead.Sequence} but the journal ends at entry {head.Sequence}");
        }

        long storedCoins = await tx.CountSpentCoinsAsync(cancellationToken).ConfigureAwait(false);
        if (storedCoins != journalCoins)
        {
            Problem($"the store records {storedCoins} spent coins, the journal spends {journalCoins}");
        }

        // Refusals are stored as outcomes without an entry, so only outcomes naming an entry are counted.
        long entryOutcomes = await tx.CountEntryOutcomesAsync(cancellationToken).ConfigureAwait(false);
        if (entryOutcomes != entries)
        {
            Problem($"the store holds {entryOutcomes} outcomes naming an entry, the journal has {entries} entries");
        }

        long sum = 0;
        try
        {
            foreach (var balance in balances.Values)
            {
                sum = checked(sum + balance);
            }
        }
        catch (OverflowException)
        {
            sum = long.MaxValue;
        }

        if (sum != 0)
        {
            Problem($"the balances sum to {sum}, not zero");
        }

        var materialised = new HashSet<LedgerAccount>();
        await foreach (var stored in tx.ReadBalancesAsync(cancellationToken).ConfigureAwait(false))
        {
            materialised.Add(stored.Account);
            balances.TryGetValue(stored.Account, out long rebuilt);
            if (rebuilt != stored.Balance)
            {
                Problem($"{stored.Account}: stored balance {stored.Balance}, journal gives {rebuilt}");
            }
        }

        foreach (var (account, rebuilt) in balances)
        {
            if (rebuilt != 0 && !materialised.Contains(account))
            {
                Problem($"{account}: no stored balance, journal gives {rebuilt}");
            }
        }

        int storedKeysets = 0;
        await foreach (var stored in tx.ReadKeysetsAsync(cancellationToken).ConfigureAwait(false))
        {
            storedKeysets++;
            if (!keysets.TryGetValue(stored.Keyset, out var rebuilt) || rebuilt != stored)
            {
                Problem($"keyset {stored.Keyset}: stored counters {stored}, journal gives {rebuilt?.ToString() ?? "none"}");
            }
        }

        if (storedKeysets != keysets.Count)
        {
            Problem($"the store holds {storedKeysets} keysets, the journal names {keysets.Count}");
        }

        foreach (var totals in keysets.Values)
        {
            balances.TryGetValue(LedgerAccount.Outstanding(totals.Keyset), out long outstanding);
            Int128 accounted = (Int128)outstanding + totals.Deposited.MinorUnits + totals.SwappedIn.MinorUnits + totals.Expired.MinorUnits;
            if (accounted != totals.Issued.MinorUnits)
            {
                Problem($"keyset {totals.Keyset}: issued {totals.Issued} but outstanding + deposited + swapped in + expired = {accounted}");
            }

            if (totals.IsExpired && outstanding != 0)
            {
                Problem($"keyset {totals.Keyset} is expired with {outstanding} still outstanding");
            }
        }

        return new LedgerVerification(head.Sequence, head, balances.Count(b => b.Value != 0), problems);
    }

    private async Task<LedgerResult> ExecuteAsync(
        IdempotencyKey key,
        EntryKind kind,
        ProtocolWriter request,
        Func<ILedgerWriteTransaction, CancellationToken, ValueTask<Plan>> decide,
        CancellationToken cancellationToken)
    {
        byte[] requestHash = SHA256.HashData(request.WrittenSpan);

        // One round trip on a networked store when its assumptions hold; when they do not, nothing was written
        // and the operation runs again under the writer lock, which decides from facts (IOptimisticLedgerStore).
        if (_store is IOptimisticLedgerStore optimistic)
        {
            try
            {
                await using var attempt = await optimistic.BeginOptimisticWriteAsync(cancellationToken).ConfigureAwait(false);
                return await ExecuteInAsync(attempt, key, kind, requestHash, decide, cancellationToken).ConfigureAwait(false);
            }
            catch (LedgerWriteConflictException)
            {
            }
        }

        await using var tx = await _store.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        return await ExecuteInAsync(tx, key, kind, requestHash, decide, cancellationToken).ConfigureAwait(false);
    }

    private async Task<LedgerResult> ExecuteInAsync(
        ILedgerWriteTransaction tx,
        IdempotencyKey key,
        EntryKind kind,
        byte[] requestHash,
        Func<ILedgerWriteTransaction, CancellationToken, ValueTask<Plan>> decide,
        CancellationToken cancellationToken)
    {
        var existing = await tx.FindOutcomeAsync(key, cancellationToken).ConfigureAwait(false);
        if (existing is not null)
        {
            if (!existing.RequestHash.Span.SequenceEqual(requestHash))
            {
                return new LedgerResult(LedgerStatus.IdempotencyKeyReused, null, [], isReplay: false);
            }

            JournalEntry? previous = null;
            if (existing.EntrySequence is long sequence)
            {
                previous = await tx.GetEntryAsync(sequence, cancellationToken).ConfigureAwait(false)
                    ?? throw new LedgerStoreException($"The outcome of '{key}' names entry {sequence}, which the journal does not hold.");
            }

            return new LedgerResult(existing.Status, previous, existing.Conflicts, isReplay: true);
        }

        Plan plan;
        JournalEntry? entry = null;
        try
        {
            plan = await decide(tx, cancellationToken).ConfigureAwait(false);
            if (plan.Status == LedgerStatus.Applied)
            {
                var head = await tx.GetHeadAsync(cancellationToken).ConfigureAwait(false);
                entry = JournalEntry.Create(
                    checked(head.Sequence + 1),
                    kind,
                    key,
                    _timeProvider.GetUtcNow(),
                    head.Hash,
                    plan.Postings,
                    plan.Coins,
                    plan.Closed);

                // Checked here, before anything is written, so every store refuses an overflow the same way.
                await RequireInRangeAsync(tx, entry, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OverflowException)
        {
            plan = Plan.Refuse(LedgerStatus.AmountOverflow);
            entry = null;
        }

        if (entry is not null)
        {
            await tx.AppendAsync(entry, cancellationToken).ConfigureAwait(false);
        }

        await tx.RecordOutcomeAsync(new IdempotencyRecord(key, requestHash, plan.Status, entry?.Sequence, plan.Conflicts), cancellationToken).ConfigureAwait(false);
        await tx.CommitAsync(cancellationToken).ConfigureAwait(false);
        return new LedgerResult(plan.Status, entry, plan.Conflicts, isReplay: false);
    }

    private static async ValueTask RequireInRangeAsync(ILedgerWriteTransaction tx, JournalEntry entry, CancellationToken ct)
    {
        // The net change per account, not each posting: a swap within one keyset posts -v and +v to the same account.
        var net = new Dictionary<LedgerAccount, long>();
        foreach (var posting in entry.Postings)
        {
            net[posting.Account] = checked(net.GetValueOrDefault(posting.Account) + posting.Delta);
        }

        foreach (var (account, change) in net)
        {
            long balance = await tx.GetBalanceAsync(account, ct).ConfigureAwait(false);
            _ = checked(balance + change);
        }

        foreach (var effect in entry.KeysetEffects)
        {
            var totals = await tx.GetKeysetAsync(effect.Keyset, ct).ConfigureAwait(false);
            _ = totals.Apply(effect);
        }
    }

    private static ProtocolWriter Request(EntryKind kind)
    {
        var writer = new ProtocolWriter();
        writer.Ascii("PB1/ledger-request");
        writer.U8(1);
        writer.U8((byte)kind);
        return writer;
    }

    private static void WriteCoins(ProtocolWriter writer, IReadOnlyList<SpentCoin> coins)
    {
        var sorted = coins.OrderBy(c => c.Coin).ToArray();
        writer.U32(checked((uint)sorted.Length));
        foreach (var coin in sorted)
        {
            writer.Fixed(coin.Coin.Bytes);
            writer.Fixed(coin.Keyset.Bytes);
            writer.I64(coin.Value.MinorUnits);
        }
    }

    private static void WriteOutputs(ProtocolWriter writer, IReadOnlyList<KeysetAmount> outputs)
    {
        var sorted = outputs.OrderBy(o => o.Keyset).ThenBy(o => o.Value).ToArray();
        writer.U32(checked((uint)sorted.Length));
        foreach (var output in sorted)
        {
            writer.Fixed(output.Keyset.Bytes);
            writer.I64(output.Value.MinorUnits);
        }
    }

    private static IEnumerable<Posting> IssuePostings(IEnumerable<KeysetAmount> outputs) =>
        outputs.GroupBy(o => o.Keyset)
            .Select(g => new Posting(LedgerAccount.Outstanding(g.Key), Amount.Sum(g.Select(o => o.Value)).MinorUnits));

    private static async ValueTask<List<Posting>?> RedeemPostingsAsync(ILedgerWriteTransaction tx, IReadOnlyList<SpentCoin> coins, CancellationToken ct)
    {
        var postings = new List<Posting>();
        foreach (var group in coins.GroupBy(c => c.Keyset))
        {
            var account = LedgerAccount.Outstanding(group.Key);
            long value = Amount.Sum(group.Select(c => c.Value)).MinorUnits;
            long outstanding = await tx.GetBalanceAsync(account, ct).ConfigureAwait(false);
            if (outstanding < value)
            {
                return null;
            }

            postings.Add(new Posting(account, -value));
        }

        return postings;
    }

    private static async ValueTask<(List<SpentCoin> Accepted, List<CoinConflict> Conflicts)> PartitionSpentAsync(
        ILedgerWriteTransaction tx, IReadOnlyList<SpentCoin> coins, CancellationToken ct)
    {
        var accepted = new List<SpentCoin>(coins.Count);
        var conflicts = new List<CoinConflict>();
        var spent = await tx.FindSpentAsync(coins.Select(c => c.Coin).ToArray(), ct).ConfigureAwait(false);
        foreach (var coin in coins)
        {
            if (spent.TryGetValue(coin.Coin, out long spentIn))
            {
                conflicts.Add(new CoinConflict(coin.Coin, spentIn));
            }
            else
            {
                accepted.Add(coin);
            }
        }

        conflicts.Sort((a, b) => a.Coin.CompareTo(b.Coin));
        return (accepted, conflicts);
    }

    private static async ValueTask<bool> AnyExpiredAsync(ILedgerWriteTransaction tx, IEnumerable<KeysetId> keysets, CancellationToken ct)
    {
        foreach (var keyset in keysets.Distinct())
        {
            if ((await tx.GetKeysetAsync(keyset, ct).ConfigureAwait(false)).IsExpired)
            {
                return true;
            }
        }

        return false;
    }

    private static void RequirePositive(Amount amount, string paramName)
    {
        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(paramName, "The amount must be more than zero.");
        }
    }

    private static void RequireItems<T>(IReadOnlyList<T> items, string paramName)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(items, paramName);
        if (items.Count == 0)
        {
            throw new ArgumentException("At least one item is required.", paramName);
        }

        foreach (var item in items)
        {
            ArgumentNullException.ThrowIfNull(item, paramName);
        }
    }

    private static void RequireDistinctCoins(IReadOnlyList<SpentCoin> coins, string paramName)
    {
        RequireItems(coins, paramName);
        if (coins.Select(c => c.Coin).Distinct().Count() != coins.Count)
        {
            throw new ArgumentException("A coin appears more than once.", paramName);
        }
    }

    private sealed record Plan(
        LedgerStatus Status,
        IReadOnlyList<Posting> Postings,
        IReadOnlyList<SpentCoin> Coins,
        IReadOnlyList<KeysetId> Closed,
        IReadOnlyList<CoinConflict> Conflicts)
    {
        public static Plan Apply(
            IReadOnlyList<Posting> postings,
            IReadOnlyList<SpentCoin>? coins = null,
            IReadOnlyList<KeysetId>? closed = null,
            IReadOnlyList<CoinConflict>? conflicts = null) =>
            new(LedgerStatus.Applied, postings, coins ?? [], closed ?? [], conflicts ?? []);

        public static Plan Refuse(LedgerStatus status, IReadOnlyList<CoinConflict>? conflicts = null) =>
            new(status, [], [], [], conflicts ?? []);
    }
}
