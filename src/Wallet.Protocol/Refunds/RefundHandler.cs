namespace Wallet.Protocol.Refunds;

/// <summary>
/// The scheme's side of a refund claim (docs/PROTOCOL.md 5.17). Read top to bottom: the coin signatures, verified before
/// the gate; under the gate, the replay check, the refund's checks (provider, signature, coins deposited to that
/// provider for that payment, not refunded before, amount, outputs, payable), the stored decision and the ledger entry;
/// the blind signatures, outside the gate; under it again, the log entry and the stored response.
/// </summary>
/// <remarks>
/// Crash safety follows the swaps' order: the decision (the claim's hash, its refund and coins) is stored before the
/// ledger entry and before anything is signed, so a retry of the same claim finishes it and no other claim can take
/// the same refund or coins in between; outputs are blind-signed only after the ledger paid for them.
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

        var decided = await DecideAsync(request, storeKey, hash, badCoin, cancellationToken).ConfigureAwait(false);
        if (decided.Answer is { } answer)
        {
            return answer;
        }

        // The ledger paid for these outputs under this claim's decision: the signatures are for this claim alone, and a
        // retry signs the same blinded messages into the same coins.
        var signatures = await KeysetSigner.TrySignAsync(decided.Signers, [.. request.Outputs.Select(o => o.BlindedMessage)], cancellationToken).ConfigureAwait(false);
        if (signatures is null)
        {
            return Refused(RefundClaimStatus.SigningKeyUnavailable);
        }

        return await context.UnderGateAsync<RefundClaimResult>(async () =>
        {
            if (await refunds.GetRefundClaimAsync(storeKey, cancellationToken).ConfigureAwait(false) is { Response: { } stored })
            {
                return Accepted(stored);
            }

            var now = context.Time.GetUtcNow();
            var refund = request.Refund;
            var response = RefundClaimResponse.Sign(hash, refund.Id, refund.Amount, signatures, now, context.SchemeKey);
            var counts = decided.Signers.GroupBy(s => s.Descriptor.Id).Select(g => (g.Key, g.Count())).ToList();
            var record = new RefundRecord(now, refund.Provider, refund.Amount, counts);
            await context.AppendLogOnceAsync(storeKey.Value, LogEntry.ForRefund(record), cancellationToken).ConfigureAwait(false);
            await refunds.PutRefundResponseAsync(storeKey, response, cancellationToken).ConfigureAwait(false);
            return Accepted(response);
        }, cancellationToken).ConfigureAwait(false);
    }

    // Under the gate: the replay check, the checks of a new claim and its stored decision, and the ledger entry. Answer
    // is the final result when there is nothing to sign.
    private async Task<(RefundClaimResult? Answer, KeysetSigner[] Signers)> DecideAsync(
        RefundClaimRequest request, IdempotencyKey storeKey, byte[] hash, int? badCoin, CancellationToken cancellationToken)
    {
        return await context.UnderGateAsync<(RefundClaimResult? Answer, KeysetSigner[] Signers)>(async () =>
        {
            KeysetSigner[] signers;
            if (await refunds.GetRefundClaimAsync(storeKey, cancellationToken).ConfigureAwait(false) is { } stored)
            {
                if (!stored.RequestHash.Span.SequenceEqual(hash))
                {
                    return (Refused(RefundClaimStatus.IdempotencyKeyReused), []);
                }

                if (stored.Response is { } response)
                {
                    return (Accepted(response), []);
                }

                // Decided before a crash or a short payable: checked then, so only the keys matter now.
                if (LoadedSigners(request.Outputs) is not { } loaded)
                {
                    return (Refused(RefundClaimStatus.SigningKeyUnavailable), []);
                }

                signers = loaded;
            }
            else
            {
                var (refusal, checkedSigners) = await CheckAsync(request, badCoin, cancellationToken).ConfigureAwait(false);
                if (refusal is not null)
                {
                    return (refusal, []);
                }

                signers = checkedSigners;
                var refund = request.Refund;
                await refunds.PutRefundClaimAsync(storeKey, new StoredRefundClaim(hash, refund.Id, refund.Coins, null), cancellationToken).ConfigureAwait(false);
            }

            var outputs = signers.Select(s => new KeysetAmount(s.Descriptor.Id, s.Descriptor.Denomination)).ToList();
            var ledger = await context.Ledger.RefundAsync(storeKey, request.Refund.Provider, outputs, cancellationToken).ConfigureAwait(false);
            return ledger.Status switch
            {
                LedgerStatus.Applied => (null, signers),
                LedgerStatus.InsufficientFunds => (Refused(RefundClaimStatus.PayableTooLow), []),
                LedgerStatus.KeysetExpired => (Refused(RefundClaimStatus.BadOutputs), []),
                _ => (Refused(RefundClaimStatus.IdempotencyKeyReused), []),
            };
        }, cancellationToken).ConfigureAwait(false);
    }

    // Every check of a new claim, in the order docs/PROTOCOL.md 5.17 lists them. Callers hold the gate.
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
