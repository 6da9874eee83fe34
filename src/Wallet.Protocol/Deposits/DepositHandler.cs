namespace Wallet.Protocol.Deposits;

/// <summary>
/// The scheme's side of flow 4, deposit: a provider hands in the coins it was paid with. Read top to bottom: the
/// replay check, each payment judged on its own (<see cref="JudgeAsync"/>), one ledger credit for the accepted
/// payments, their first spends, the log entry of their coins and the signed receipt with its inclusion proof.
/// </summary>
/// <remarks>
/// Crash recovery (docs/PROTOCOL.md section 5.5): the ledger entry of a deposit is written under a key derived from
/// (provider, idempotency key) before anything else is stored. A retry that finds that entry but no stored result
/// takes the entry's coins as what was credited: the payments whose coins it holds are accepted without being judged
/// again (a check that failed since, such as the deposit window, cannot undo a committed credit), and no other payment
/// can be accepted any more. Every check but the accreditation check only ever turns from passing to failing, so a
/// payment outside the entry that passes on the retry was refused by that check the first time, and is answered so.
/// </remarks>
internal sealed class DepositHandler(SchemeContext context, IDepositStore deposits, IRegistryStore registryStore, IKeysetStore keysets, ISwapStore swaps, ISpendStore spends)
{
    /// <summary>
    /// Accepts a deposit batch (flow 4), judging each payment (the spends against one payment request) on its own:
    /// every coin is checked (keyset, windows, accreditation of the provider at the payment time, fund, payment request
    /// signature, issuer and spend signatures), the coins must sum to the payment's amount, and first deposit wins. A
    /// bad payment is refused with its reason, a doubly spent one with a verifiable <see cref="DoubleSpendProof"/> per
    /// coin; the others are credited in one ledger entry, their coins are logged (without the provider) and a signed
    /// receipt names them. A retry with the same key replays the same outcomes and receipt.
    /// </summary>
    /// <param name="request">The batch.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async Task<DepositResult> DepositAsync(DepositRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var activity = ProtocolTelemetry.StartDeposit();
        byte[] hash = request.Hash();
        var payments = DepositPayment.Group(request);
        // The signatures are most of a deposit's cost and read nothing a concurrent writer changes: verified before
        // the gate, on several cores for a large batch, and read in canonical order below.
        var verified = await DepositSignatures.VerifyAsync(context, keysets, request, cancellationToken).ConfigureAwait(false);
        return await context.UnderGateAsync<DepositResult>(async () =>
        {
            var previous = await deposits.GetDepositAsync(request.Provider, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                return previous.RequestHash.Span.SequenceEqual(hash)
                    ? DepositOutcomes.Result(payments, previous.Payments, previous.Receipt)
                    : DepositOutcomes.Refused(DepositStatus.IdempotencyKeyReused);
            }

            var ledgerKey = SchemeContext.LedgerKey("d", request.Provider.Value, request.IdempotencyKey);
            var committed = await context.Ledger.FindEntryAsync(ledgerKey, cancellationToken).ConfigureAwait(false);
            var now = context.Time.GetUtcNow();
            var judged = await JudgeAsync(request, payments, committed, now, verified, cancellationToken).ConfigureAwait(false);
            if (judged is null)
            {
                // The entry under this key credits coins of another batch: the key was used for a different request.
                return DepositOutcomes.Refused(DepositStatus.IdempotencyKeyReused);
            }

            var (outcomes, coins) = judged.Value;
            var accepted = payments.Where((_, i) => outcomes[i].Status == DepositPaymentStatus.Accepted).ToList();
            if (accepted.Count == 0)
            {
                return DepositOutcomes.Result(payments, outcomes, null);
            }

            // The request is computed from the accepted coins alone, sorted, so a retry after a crash replays it.
            var credited = coins.OrderBy(c => c.Coin).ToList();
            var credit = await context.Ledger.DepositAsync(ledgerKey, request.Provider, credited, cancellationToken).ConfigureAwait(false);
            if (credit.Status != LedgerStatus.Applied)
            {
                return Refusal(payments, outcomes, credit.Status);
            }

            // Every coin was checked unspent under the gate, so the ledger takes them all; anything else means another
            // writer spent coins outside the gate, and no receipt could say what was credited.
            if (!credit.Entry!.SpentCoins.Select(c => c.Coin).SequenceEqual(credited.Select(c => c.Coin)))
            {
                throw new InvalidOperationException("The ledger credited other coins than the deposit accepted.");
            }

            // Credited exactly once (fresh or replayed after a crash); record first spends, log the coins, sign.
            // Stored and logged in coin-id order, whatever order the provider sent: arrival order links payments to workers.
            var acceptedSpends = accepted.SelectMany(p => p.Spends(request)).OrderBy(s => s.Coin.Id).ToList();
            await spends.PutSpendsAsync(acceptedSpends, cancellationToken).ConfigureAwait(false);
            var record = new SpentCoinsRecord(now, [.. acceptedSpends.Select(s => s.Coin).OrderBy(c => c.Id)]);
            var (index, entry) = await context.AppendLedgerLogAsync(ledgerKey, credit, LogEntry.ForSpentCoins(record), cancellationToken).ConfigureAwait(false);
            var head = await context.Log.SignTreeHeadAsync(context.SchemeKey, context.Time, cancellationToken).ConfigureAwait(false);
            var proof = await context.Log.GetInclusionProofAsync(index, head.TreeSize, cancellationToken).ConfigureAwait(false);
            var total = Amount.Sum(credited.Select(c => c.Value));
            var receipt = DepositReceipt.Sign(request, [.. accepted.Select(p => p.Id)], total, entry.LeafHash(), head, proof, now, context.SchemeKey);
            await deposits.PutDepositAsync(new StoredDeposit(hash, receipt) { Payments = outcomes }, cancellationToken).ConfigureAwait(false);
            ProtocolTelemetry.Deposited(credited.Count);
            return DepositOutcomes.Result(payments, outcomes, receipt);
        }, cancellationToken).ConfigureAwait(false);
    }

    // Judges every payment in batch order. Returns each payment's outcome and the coins of the accepted ones, or null
    // when a committed entry under this deposit's key does not match this request's payments.
    private async Task<(DepositPaymentOutcome[] Outcomes, List<SpentCoin> Coins)?> JudgeAsync(
        DepositRequest request, IReadOnlyList<DepositPayment> payments, JournalEntry? committed, DateTimeOffset now, SpendSignatures?[] verified, CancellationToken ct)
    {
        var registries = await registryStore.ListRegistriesAsync(ct).ConfigureAwait(false);
        var ours = committed?.SpentCoins.ToDictionary(c => c.Coin);
        var ledgerSpent = await context.Ledger.FindSpentAsync([.. request.Spends.Select(s => s.Coin.Id).Distinct()], ct).ConfigureAwait(false);
        var stored = new Dictionary<KeysetId, StoredKeyset?>();
        var expired = new Dictionary<KeysetId, bool>();
        var claimed = new HashSet<CoinId>();
        var outcomes = new DepositPaymentOutcome[payments.Count];
        var coins = new List<SpentCoin>();
        for (int k = 0; k < payments.Count; k++)
        {
            var payment = payments[k];
            var spendsOf = payment.Spends(request).ToList();

            // A coin of an earlier payment, or twice in this one: the later payment is refused, the earlier judged alone.
            bool duplicate = false;
            foreach (var spend in spendsOf)
            {
                duplicate |= !claimed.Add(spend.Coin.Id);
            }

            if (duplicate)
            {
                outcomes[k] = DepositOutcomes.Rejected(payment, DepositRejectionReason.DuplicateInBatch);
                continue;
            }

            if (ours is not null && spendsOf.All(s => ours.ContainsKey(s.Coin.Id)))
            {
                outcomes[k] = DepositOutcomes.Of(payment, DepositPaymentStatus.Accepted);
                coins.AddRange(spendsOf.Select(s => ours[s.Coin.Id]));
                continue;
            }

            var (outcome, paid) = await JudgePaymentAsync(request.Provider, payment, spendsOf, registries, now, stored, expired, ledgerSpent, verified, ct).ConfigureAwait(false);
            if (outcome.Status == DepositPaymentStatus.Accepted && ours is not null)
            {
                // See the class remarks: the first attempt refused it at the accreditation check.
                outcome = DepositOutcomes.Rejected(payment, DepositRejectionReason.ProviderNotAccredited);
            }

            outcomes[k] = outcome;
            if (outcome.Status == DepositPaymentStatus.Accepted)
            {
                coins.AddRange(paid);
            }
        }

        if (ours is not null && (coins.Count != ours.Count || !coins.All(c => ours.ContainsKey(c.Coin))))
        {
            return null;
        }

        return (outcomes, coins);
    }

    private async Task<(DepositPaymentOutcome Outcome, List<SpentCoin> Coins)> JudgePaymentAsync(
        AccountId provider,
        DepositPayment payment,
        List<CoinSpend> spendsOf,
        IReadOnlyList<AccreditationRegistry> registries,
        DateTimeOffset now,
        Dictionary<KeysetId, StoredKeyset?> stored,
        Dictionary<KeysetId, bool> expired,
        IReadOnlyDictionary<CoinId, long> ledgerSpent,
        SpendSignatures?[] verified,
        CancellationToken ct)
    {
        var paid = new List<SpentCoin>(spendsOf.Count);
        // Every spend of a payment carries the same request (grouped by its id, the hash of its bytes): its signature
        // is checked once, not once per coin.
        var requestChecks = new Dictionary<Ed25519PublicKey, bool>();
        for (int j = 0; j < spendsOf.Count; j++)
        {
            var spend = spendsOf[j];
            var keyset = spend.Coin.Keyset;
            if (!stored.TryGetValue(keyset, out var announced))
            {
                announced = await keysets.GetKeysetAsync(keyset, ct).ConfigureAwait(false);
                stored[keyset] = announced;
            }

            var reason = DepositCoinCheck.Check(provider, spend, announced, registries, now, context.Signers.GetValueOrDefault(keyset), verified[payment.Indexes[j]], requestChecks);
            if (reason is null && !expired.TryGetValue(keyset, out bool isExpired))
            {
                isExpired = (await context.Ledger.GetKeysetAsync(keyset, ct).ConfigureAwait(false)).IsExpired;
                expired[keyset] = isExpired;
            }

            if (reason is null && expired[keyset])
            {
                reason = DepositRejectionReason.OutsideDepositWindow;
            }

            if (reason is { } r)
            {
                return (DepositOutcomes.Rejected(payment, r), []);
            }

            paid.Add(new SpentCoin(spend.Coin.Id, keyset, announced!.Announcement.Descriptor.Denomination));
        }

        if (Amount.Sum(paid.Select(c => c.Value)) != payment.Request.Amount)
        {
            return (DepositOutcomes.Rejected(payment, DepositRejectionReason.AmountMismatch), []);
        }

        // A swapped coin has no payment to prove a double spend against (a swap stores its spends with its ledger entry).
        foreach (var spend in spendsOf)
        {
            if (await swaps.GetSwapSpendAsync(spend.Coin.Id, ct).ConfigureAwait(false) is not null)
            {
                return (DepositOutcomes.Rejected(payment, DepositRejectionReason.AlreadySwapped), []);
            }
        }

        var proofs = new List<DoubleSpendProof>();
        bool identicalSeen = false;
        foreach (var spend in spendsOf)
        {
            var first = await spends.GetSpendAsync(spend.Coin.Id, ct).ConfigureAwait(false);
            if (first is null)
            {
                continue;
            }

            if (first.Encode().AsSpan().SequenceEqual(spend.Encode()))
            {
                identicalSeen = true;
            }
            else
            {
                proofs.Add(new DoubleSpendProof(first, spend));
            }
        }

        if (proofs.Count > 0)
        {
            ProtocolTelemetry.DoubleSpent(proofs.Count);
            return (new DepositPaymentOutcome(payment.Id, DepositPaymentStatus.DoubleSpend, null, proofs), []);
        }

        if (identicalSeen)
        {
            return (DepositOutcomes.Of(payment, DepositPaymentStatus.AlreadyDeposited), []);
        }

        // Spent in the ledger by an operation that has not stored its spend yet (it crashed before, and its retry is due).
        if (spendsOf.Any(s => ledgerSpent.ContainsKey(s.Coin.Id)))
        {
            return (DepositOutcomes.Rejected(payment, DepositRejectionReason.AlreadySpent), []);
        }

        return (DepositOutcomes.Of(payment, DepositPaymentStatus.Accepted), paid);
    }

    // The ledger refused what was judged acceptable (only another writer outside the gate can cause it): nothing moved.
    private static DepositResult Refusal(IReadOnlyList<DepositPayment> payments, DepositPaymentOutcome[] outcomes, LedgerStatus status)
    {
        if (status == LedgerStatus.IdempotencyKeyReused)
        {
            return DepositOutcomes.Refused(DepositStatus.IdempotencyKeyReused);
        }

        var reason = status == LedgerStatus.KeysetExpired ? DepositRejectionReason.OutsideDepositWindow : DepositRejectionReason.AlreadySpent;
        var refused = outcomes.Select((o, i) => o.Status == DepositPaymentStatus.Accepted ? DepositOutcomes.Rejected(payments[i], reason) : o).ToArray();
        return DepositOutcomes.Result(payments, refused, null);
    }
}
