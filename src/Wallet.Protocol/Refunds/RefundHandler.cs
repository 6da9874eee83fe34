namespace Wallet.Protocol.Refunds;

/// <summary>
/// The scheme's side of a refund claim (docs/PROTOCOL.md 5.17). Read top to bottom: the coin signatures, verified before
/// the gate; the replay check and the refund's checks (provider, signature, coins deposited to that provider for that
/// payment, not refunded before, amount, outputs, payable) on committed state; the blind signatures, outside the gate;
/// under the gate, in one store transaction, the same checks again, the stored decision, the ledger entry, the log
/// entry and the stored response.
/// </summary>
/// <remarks>
/// Crash safety: with stores that share a database the claim commits whole or not at all. With stores that commit one
/// by one, the decision (the claim's hash, its refund and coins) is stored before the ledger entry, so a retry of the
/// same claim finishes it and no other claim can take the same refund or coins in between; signatures are released
/// only in a stored response.
/// </remarks>
internal sealed class RefundHandler(SchemeContext context, IRefundStore refunds, ISpendStore spends, IKeysetStore keysets, IRegistryStore registries)
{
    /// <summary>Honours a refund claim, or says why not with nothing moved; a retry with the same key and bytes replays the response.</summary>
    /// <param name="request">The claim.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The result.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public async Task<RefundClaimResult> ClaimAsync(RefundClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        byte[] hash = request.Hash();
        var storeKey = SchemeContext.LedgerKey("rf", "refund", request.IdempotencyKey);
        int? badCoin = request.FirstBadCoinSignature();

        // Checked first on committed state, so nothing is signed for a replay or a refusal; the same checks run again
        // under the gate, where they decide.
        var early = await CheckClaimAsync(request, storeKey, hash, badCoin, cancellationToken).ConfigureAwait(false);
        if (early.Answer is { Status: RefundClaimStatus.Accepted } replayed)
        {
            // A stored response never changes.
            return replayed;
        }

        if (early.Answer is not null)
        {
            // Outside the gate the checks read state that concurrent claims change between two reads: a claim of the
            // same refund that commits meanwhile can make this one read a spent payable (PayableTooLow) where the checks
            // in their order say AlreadyRefunded, or a twin under this key make it read its own refund as taken. A
            // refusal is therefore decided under the gate, on one state, reading only; a claim that passes there (a
            // deposit refilled the payable) goes on to be signed.
            early = await context.UnderGateAsync(() => CheckClaimAsync(request, storeKey, hash, badCoin, cancellationToken), cancellationToken).ConfigureAwait(false);
            if (early.Answer is { } decided)
            {
                return decided;
            }
        }

        // Signed before the gate, as withdrawals and swaps are: nothing is released until the decision, the ledger entry,
        // the log entry and the response are committed below, and a claim that loses there drops its signatures. A
        // retry signs the same blinded messages into the same coins.
        var signatures = await KeysetSigner.TrySignAsync(early.Signers, [.. request.Outputs.Select(o => o.BlindedMessage)], cancellationToken, context.VerificationParallelism).ConfigureAwait(false);
        if (signatures is null)
        {
            return Refused(RefundClaimStatus.SigningKeyUnavailable);
        }

        return await context.UnderGateAsync<RefundClaimResult>(async () =>
        {
            var decided = await CheckClaimAsync(request, storeKey, hash, badCoin, cancellationToken).ConfigureAwait(false);
            if (decided.Answer is { } final)
            {
                return final;
            }

            // One store transaction (ISchemeTransactions): the decision (the claim's hash, its refund and coins), the
            // ledger entry, the log entry and the response. The decision is kept even when the ledger refuses a short
            // payable, so no other claim takes the same refund or coins and a retry of this one finishes it.
            var refund = request.Refund;
            if (!decided.IsStored)
            {
                await refunds.PutRefundClaimAsync(storeKey, new StoredRefundClaim(hash, refund.Id, refund.Coins, null), cancellationToken).ConfigureAwait(false);
            }

            var outputs = decided.Signers.Select(s => new KeysetAmount(s.Descriptor.Id, s.Descriptor.Denomination)).ToList();
            var ledger = await context.Ledger.RefundAsync(storeKey, refund.Provider, outputs, cancellationToken).ConfigureAwait(false);
            switch (ledger.Status)
            {
                case LedgerStatus.Applied:
                    break;
                case LedgerStatus.InsufficientFunds:
                    return Refused(RefundClaimStatus.PayableTooLow);
                case LedgerStatus.KeysetExpired:
                    return Refused(RefundClaimStatus.BadOutputs);
                default:
                    return Refused(RefundClaimStatus.IdempotencyKeyReused);
            }

            var now = context.Time.GetUtcNow();
            var response = RefundClaimResponse.Sign(hash, refund.Id, refund.Amount, signatures, now, context.SchemeKey);
            var counts = decided.Signers.GroupBy(s => s.Descriptor.Id).Select(g => (g.Key, g.Count())).ToList();
            var record = new RefundRecord(now, refund.Provider, refund.Amount, counts);
            await context.AppendLedgerLogAsync(storeKey, ledger, LogEntry.ForRefund(record), cancellationToken).ConfigureAwait(false);
            await refunds.PutRefundResponseAsync(storeKey, response, cancellationToken).ConfigureAwait(false);
            return Accepted(response);
        }, cancellationToken).ConfigureAwait(false);
    }

    // The replay check and, for a claim not decided before, its checks, on what is committed (under the gate, what this
    // operation's transaction sees). Answer is the final result when there is nothing to sign or commit; IsStored says
    // the decision is stored already (a crash or a short payable came after it).
    private async Task<(RefundClaimResult? Answer, KeysetSigner[] Signers, bool IsStored)> CheckClaimAsync(
        RefundClaimRequest request, IdempotencyKey storeKey, byte[] hash, int? badCoin, CancellationToken cancellationToken)
    {
        if (await refunds.GetRefundClaimAsync(storeKey, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            if (!stored.RequestHash.Span.SequenceEqual(hash))
            {
                return (Refused(RefundClaimStatus.IdempotencyKeyReused), [], true);
            }

            if (stored.Response is { } response)
            {
                return (Accepted(response), [], true);
            }

            // Decided before a crash or a short payable: checked then, so only the keys matter now.
            return LoadedSigners(request.Outputs) is { } loaded
                ? (null, loaded, true)
                : (Refused(RefundClaimStatus.SigningKeyUnavailable), [], true);
        }

        var (refusal, signers) = await CheckAsync(request, badCoin, cancellationToken).ConfigureAwait(false);
        return (refusal, signers, false);
    }

    // Every check of a new claim, in the order docs/PROTOCOL.md 5.17 lists them; reads only.
    private async Task<(RefundClaimResult? Refusal, KeysetSigner[] Signers)> CheckAsync(RefundClaimRequest request, int? badCoin, CancellationToken ct)
    {
        var refund = request.Refund;
        var record = await FindProviderAsync(refund.Provider, ct).ConfigureAwait(false);
        if (record is null)
        {
            return (Refused(RefundClaimStatus.WrongProvider), []);
        }

        if (!refund.Verify(record.ReceiptKey))
        {
            return (Refused(RefundClaimStatus.BadProviderSignature), []);
        }

        if (badCoin is int bad)
        {
            return (Refused(RefundClaimStatus.BadCoinSignature, bad), []);
        }

        if (await refunds.FindRefundClaimAsync(refund.Id, ct).ConfigureAwait(false) is not null)
        {
            return (Refused(RefundClaimStatus.AlreadyRefunded), []);
        }

        long value = 0;
        var funds = new HashSet<string>(StringComparer.Ordinal);
        for (int i = 0; i < refund.Coins.Length; i++)
        {
            var coin = refund.Coins[i];
            // The first spend is stored once the deposit credited the provider, and names the payment it paid.
            var spend = await spends.GetSpendAsync(coin, ct).ConfigureAwait(false);
            if (spend is null)
            {
                return (Refused(RefundClaimStatus.NotDeposited, i), []);
            }

            if (spend.Request.Provider != refund.Provider)
            {
                return (Refused(RefundClaimStatus.WrongProvider, i), []);
            }

            if (spend.Request.Id != refund.Payment)
            {
                return (Refused(RefundClaimStatus.NotDeposited, i), []);
            }

            if (await refunds.FindCoinRefundAsync(coin, ct).ConfigureAwait(false) is not null)
            {
                return (Refused(RefundClaimStatus.AlreadyRefunded, i), []);
            }

            // A deposited coin's keyset was announced: the deposit checked it.
            var keyset = (await keysets.GetKeysetAsync(spend.Coin.Keyset, ct).ConfigureAwait(false))!.Announcement.Descriptor;
            value += keyset.Denomination.MinorUnits;
            funds.Add(keyset.Fund);
        }

        if (refund.Amount.MinorUnits > value)
        {
            return (Refused(RefundClaimStatus.AmountTooLarge), []);
        }

        var now = context.Time.GetUtcNow();
        var signers = new KeysetSigner[request.Outputs.Length];
        long issued = 0;
        for (int i = 0; i < signers.Length; i++)
        {
            var output = request.Outputs[i];
            if (!context.Signers.TryGetValue(output.Keyset, out var signer) || !signer.Descriptor.IsWithdrawable(now)
                || !funds.Contains(signer.Descriptor.Fund) || !signer.Fits(output.BlindedMessage)
                || (await context.Ledger.GetKeysetAsync(output.Keyset, ct).ConfigureAwait(false)).IsExpired)
            {
                return (Refused(RefundClaimStatus.BadOutputs, i), []);
            }

            signers[i] = signer;
            issued = checked(issued + signer.Descriptor.Denomination.MinorUnits);
        }

        if (issued != refund.Amount.MinorUnits)
        {
            return (Refused(RefundClaimStatus.ValueMismatch), []);
        }

        // The ledger has the last word (a payout may race); this read keeps a short payable from taking the refund.
        if (await context.Ledger.GetBalanceAsync(LedgerAccount.Provider(refund.Provider), ct).ConfigureAwait(false) < refund.Amount.MinorUnits)
        {
            return (Refused(RefundClaimStatus.PayableTooLow), []);
        }

        return (null, signers);
    }

    // The provider's record in the newest registry that lists it: the receipt key that signed its payment requests.
    private async Task<ProviderRecord?> FindProviderAsync(AccountId provider, CancellationToken ct)
    {
        var all = await registries.ListRegistriesAsync(ct).ConfigureAwait(false);
        for (int i = all.Count - 1; i >= 0; i--)
        {
            if (all[i].Find(provider) is { } record)
            {
                return record;
            }
        }

        return null;
    }

    private KeysetSigner[]? LoadedSigners(IReadOnlyList<WithdrawalItem> outputs)
    {
        var signers = new KeysetSigner[outputs.Count];
        for (int i = 0; i < signers.Length; i++)
        {
            if (!context.Signers.TryGetValue(outputs[i].Keyset, out var signer) || !signer.Fits(outputs[i].BlindedMessage))
            {
                return null;
            }

            signers[i] = signer;
        }

        return signers;
    }

    private static RefundClaimResult Accepted(RefundClaimResponse response) => new(RefundClaimStatus.Accepted, response, null);

    private static RefundClaimResult Refused(RefundClaimStatus status, int? index = null) => new(status, null, index);
}
