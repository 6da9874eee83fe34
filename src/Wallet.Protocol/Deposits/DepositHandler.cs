namespace Wallet.Protocol.Deposits;

/// <summary>
/// The scheme's side of flow 4, deposit: a provider hands in the coins it was paid with. Read top to bottom: the
/// replay check, every coin's checks (<see cref="Check"/>), first spend wins, one ledger credit, the log entry and
/// the signed receipt with its inclusion proof.
/// </summary>
internal sealed class DepositHandler(SchemeContext context, IDepositStore deposits, IRegistryStore registryStore, IKeysetStore keysets, ISwapStore swaps, ISpendStore spends)
{
    /// <summary>
    /// Accepts a deposit batch (flow 4): every coin is checked (keyset, windows, accreditation of the provider at the
    /// payment time, fund, payment request signature, issuer and spend signatures, sums per payment); then first
    /// deposit wins. Any failure moves nothing; a coin spent before with another payment yields a verifiable
    /// <see cref="DoubleSpendProof"/>. On success the provider is credited once, the coins are logged (without the
    /// provider) and a signed receipt with an inclusion proof is returned. A retry with the same key replays it.
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
        await context.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var previous = await deposits.GetDepositAsync(request.Provider, request.IdempotencyKey, cancellationToken).ConfigureAwait(false);
            if (previous is not null)
            {
                return previous.RequestHash.Span.SequenceEqual(hash)
                    ? Result(DepositStatus.Accepted, previous.Receipt)
                    : Result(DepositStatus.IdempotencyKeyReused);
            }

            var now = context.Time.GetUtcNow();
            var registries = await registryStore.ListRegistriesAsync(cancellationToken).ConfigureAwait(false);
            var rejections = new List<DepositRejection>();
            var spent = new List<SpentCoin>(request.Spends.Length);
            var seen = new HashSet<CoinId>();
            var perRequest = new Dictionary<string, (Amount Due, Amount Paid)>(StringComparer.Ordinal);
            for (int i = 0; i < request.Spends.Length; i++)
            {
                var spend = request.Spends[i];
                var stored = await keysets.GetKeysetAsync(spend.Coin.Keyset, cancellationToken).ConfigureAwait(false);
                var reason = Check(request.Provider, spend, stored, registries, now, seen, context.Signers.GetValueOrDefault(spend.Coin.Keyset));
                if (reason is { } r)
                {
                    rejections.Add(new DepositRejection(i, r));
                    continue;
                }

                var denomination = stored!.Announcement.Descriptor.Denomination;
                spent.Add(new SpentCoin(spend.Coin.Id, spend.Coin.Keyset, denomination));
                string key = Convert.ToHexString(spend.Request.Hash());
                var sums = perRequest.TryGetValue(key, out var s) ? s : (spend.Request.Amount, Amount.Zero);
                perRequest[key] = (sums.Item1, sums.Item2 + denomination);
            }

            if (rejections.Count == 0)
            {
                for (int i = 0; i < request.Spends.Length; i++)
                {
                    var (due, paid) = perRequest[Convert.ToHexString(request.Spends[i].Request.Hash())];
                    if (due != paid)
                    {
                        rejections.Add(new DepositRejection(i, DepositRejectionReason.AmountMismatch));
                    }
                }
            }

            if (rejections.Count > 0)
            {
                return new DepositResult(DepositStatus.Rejected, null, rejections, []);
            }

            // A swapped coin has no payment to prove a double spend against; left to the ledger, a batch mixing it with
            // fresh coins would be credited in part while the receipt counted every coin.
            for (int i = 0; i < request.Spends.Length; i++)
            {
                if (await swaps.GetSwapSpendAsync(request.Spends[i].Coin.Id, cancellationToken).ConfigureAwait(false) is not null)
                {
                    rejections.Add(new DepositRejection(i, DepositRejectionReason.AlreadySwapped));
                }
            }

            if (rejections.Count > 0)
            {
                return new DepositResult(DepositStatus.Rejected, null, rejections, []);
            }

            var proofs = new List<DoubleSpendProof>();
            bool identicalSeen = false;
            foreach (var spend in request.Spends)
            {
                var first = await spends.GetSpendAsync(spend.Coin.Id, cancellationToken).ConfigureAwait(false);
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
                return new DepositResult(DepositStatus.DoubleSpend, null, [], proofs);
            }

            var ledgerKey = SchemeContext.LedgerKey("d", request.Provider.Value, request.IdempotencyKey);
            var credit = await context.Ledger.DepositAsync(ledgerKey, request.Provider, spent, cancellationToken).ConfigureAwait(false);
            switch (credit.Status)
            {
                case LedgerStatus.Applied:
                    break;
                case LedgerStatus.DoubleSpend:
                    return Result(DepositStatus.AlreadyDeposited);
                case LedgerStatus.KeysetExpired:
                    return new DepositResult(DepositStatus.Rejected, null, [.. request.Spends.Select((_, i) => new DepositRejection(i, DepositRejectionReason.OutsideDepositWindow))], []);
                default:
                    return Result(identicalSeen ? DepositStatus.AlreadyDeposited : DepositStatus.IdempotencyKeyReused);
            }

            // Credited exactly once (fresh or replayed after a crash); record first spends, log the batch, sign.
            await spends.PutSpendsAsync(request.Spends, cancellationToken).ConfigureAwait(false);
            var (index, entry) = await context.AppendLogOnceAsync(ledgerKey.Value, LogEntry.ForSpentCoins(new SpentCoinsRecord(now, [.. request.Spends.Select(s => s.Coin)])), cancellationToken).ConfigureAwait(false);
            var head = await context.Log.SignTreeHeadAsync(context.SchemeKey, context.Time, cancellationToken).ConfigureAwait(false);
            var proof = await context.Log.GetInclusionProofAsync(index, head.TreeSize, cancellationToken).ConfigureAwait(false);
            var total = Amount.Sum(spent.Select(c => c.Value));
            var receipt = DepositReceipt.Sign(request, total, entry.LeafHash(), head, proof, now, context.SchemeKey);
            await deposits.PutDepositAsync(new StoredDeposit(hash, receipt), cancellationToken).ConfigureAwait(false);
            ProtocolTelemetry.Deposited(request.Spends.Length);
            return Result(DepositStatus.Accepted, receipt);
        }
        finally
        {
            context.Gate.Release();
        }
    }

    private static DepositRejectionReason? Check(AccountId depositor, CoinSpend spend, StoredKeyset? stored, IReadOnlyList<AccreditationRegistry> registries, DateTimeOffset now, HashSet<CoinId> seen, KeysetSigner? signer)
    {
        if (!seen.Add(spend.Coin.Id))
        {
            return DepositRejectionReason.DuplicateInBatch;
        }

        if (stored is null || stored.Revoked)
        {
            return DepositRejectionReason.UnknownKeyset;
        }

        var descriptor = stored.Announcement.Descriptor;
        var paidAt = spend.Request.IssuedAt;
        if (spend.Request.Provider != depositor)
        {
            return DepositRejectionReason.WrongProvider;
        }

        // The registry in force at the payment time decides, so a later de-accreditation does not void honest payments.
        var registry = registries.LastOrDefault(r => r.IssuedAt <= paidAt);
        var record = registry?.Find(depositor);
        if (record is null || !record.IsValidAt(paidAt) || paidAt > now)
        {
            return DepositRejectionReason.ProviderNotAccredited;
        }

        if (!spend.Request.Verify(record.ReceiptKey))
        {
            return DepositRejectionReason.BadPaymentRequest;
        }

        if (!record.Accepts(descriptor.Fund))
        {
            return DepositRejectionReason.FundNotAllowed;
        }

        if (!descriptor.IsSpendable(paidAt))
        {
            return DepositRejectionReason.OutsideSpendWindow;
        }

        if (!descriptor.IsDepositable(now))
        {
            return DepositRejectionReason.OutsideDepositWindow;
        }

        bool issued = signer is not null ? spend.Coin.VerifyIssuerWith(descriptor, signer.Verifier) : spend.Coin.VerifyIssuer(descriptor);
        if (!issued)
        {
            return DepositRejectionReason.BadIssuerSignature;
        }

        return spend.VerifySpendSignature() ? null : DepositRejectionReason.BadSpendSignature;
    }

    private static DepositResult Result(DepositStatus status, DepositReceipt? receipt = null) => new(status, receipt, [], []);
}
