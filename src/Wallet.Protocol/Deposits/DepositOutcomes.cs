namespace Wallet.Protocol.Deposits;

/// <summary>Builds a deposit result from its per-payment outcomes, the same way when answering and when replaying.</summary>
internal static class DepositOutcomes
{
    /// <summary>A payment's outcome with no reason and no proof.</summary>
    public static DepositPaymentOutcome Of(DepositPayment payment, DepositPaymentStatus status) => new(payment.Id, status, null, []);

    /// <summary>A rejected payment's outcome.</summary>
    public static DepositPaymentOutcome Rejected(DepositPayment payment, DepositRejectionReason reason) => new(payment.Id, DepositPaymentStatus.Rejected, reason, []);

    /// <summary>
    /// The result: <see cref="DepositStatus.Accepted"/> with the receipt when a payment was credited; otherwise
    /// <see cref="DepositStatus.Rejected"/>, <see cref="DepositStatus.DoubleSpend"/> or
    /// <see cref="DepositStatus.AlreadyDeposited"/>, in that precedence. The per-coin rejections (every spend of a
    /// rejected payment, with the payment's reason) and the flat proof list are derived from the outcomes, so a
    /// replay from the stored outcomes is identical.
    /// </summary>
    public static DepositResult Result(IReadOnlyList<DepositPayment> payments, IReadOnlyList<DepositPaymentOutcome> outcomes, DepositReceipt? receipt)
    {
        var byId = payments.ToDictionary(p => p.Id);
        var rejections = outcomes
            .Where(o => o.Status == DepositPaymentStatus.Rejected)
            .SelectMany(o => byId[o.Payment].Indexes.Select(i => new DepositRejection(i, o.Reason!.Value)))
            .OrderBy(r => r.Index)
            .ToList();
        var proofs = outcomes.SelectMany(o => o.DoubleSpendProofs).ToList();
        var status = receipt is not null ? DepositStatus.Accepted
            : outcomes.Any(o => o.Status == DepositPaymentStatus.Rejected) ? DepositStatus.Rejected
            : outcomes.Any(o => o.Status == DepositPaymentStatus.DoubleSpend) ? DepositStatus.DoubleSpend
            : DepositStatus.AlreadyDeposited;
        return new DepositResult(status, receipt, rejections, proofs) { Payments = [.. outcomes] };
    }

    /// <summary>A batch refused as a whole, before any payment was judged.</summary>
    public static DepositResult Refused(DepositStatus status) => new(status, null, [], []);
}
