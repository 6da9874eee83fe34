namespace Wallet.Protocol.Providers;

/// <summary>
/// Reads a scheme's answer to a provider's deposit as one outcome per payment of the batch (docs/PROTOCOL.md
/// section 5.5), or as nothing to settle when the answer does not verify.
/// </summary>
internal static class DepositSettlement
{
    /// <summary>What the provider does with the deposit in flight and its payments after an answer.</summary>
    internal enum Kind
    {
        /// <summary>The answer does not verify (or credited nothing it can prove): keep the deposit in flight and re-send the same bytes.</summary>
        Retry,

        /// <summary>The answer is final for these bytes but judged no payment: forget the deposit in flight, keep the payments queued for a fresh batch.</summary>
        Rebatch,

        /// <summary>The answer judged the payments: settle each one.</summary>
        Settle,
    }

    /// <summary>Classifies <paramref name="result"/> for <paramref name="request"/>; for <see cref="Kind.Settle"/>, the outcome of each payment of the batch the answer names.</summary>
    public static (Kind Kind, IReadOnlyList<DepositPaymentOutcome> Outcomes) Read(DepositRequest request, DepositResult result, Ed25519PublicKey schemeKey)
    {
        // The key names another batch at the scheme: these bytes can never be accepted, and no payment was judged.
        if (result.Status == DepositStatus.IdempotencyKeyReused)
        {
            return (Kind.Rebatch, []);
        }

        var batch = request.Spends.Select(s => s.Request.Id).Distinct().ToList();
        var inBatch = batch.ToHashSet();
        var outcomes = result.Payments.Where(p => inBatch.Contains(p.Payment)).DistinctBy(p => p.Payment).ToList();
        if (result.Payments.Count == 0)
        {
            // A scheme without per-payment outcomes judges the batch as a whole: accepted credits every payment;
            // any refusal is final for these bytes and credits none, so the payments wait for another batch.
            if (result.Status != DepositStatus.Accepted)
            {
                return (Kind.Rebatch, []);
            }

            outcomes = [.. batch.Select(id => new DepositPaymentOutcome(id, DepositPaymentStatus.Accepted, null, []))];
        }

        // A payment credited by this deposit needs the scheme's signed receipt (with its log inclusion); any receipt
        // present must verify, so a forged or mismatched answer settles nothing.
        bool credited = outcomes.Any(o => o.Status == DepositPaymentStatus.Accepted);
        if ((credited && result.Receipt is null) || (result.Receipt is { } receipt && !receipt.Verify(request, schemeKey)))
        {
            return (Kind.Retry, []);
        }

        return (Kind.Settle, outcomes);
    }
}
