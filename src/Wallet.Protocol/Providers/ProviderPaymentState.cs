namespace Wallet.Protocol.Providers;

/// <summary>One payment's state at its provider: what <see cref="AccreditedProvider.GetPaymentStatusAsync"/> answers and what a deposit settles.</summary>
/// <param name="Payment">The payment, named by its request's hash.</param>
/// <param name="Status">Where the payment stands.</param>
/// <param name="Receipt">The signed spend receipt, exactly when <paramref name="Status"/> is <see cref="ProviderPaymentStatus.Paid"/>.</param>
/// <param name="Rejection">
/// The scheme's outcome for the payment (<see cref="DepositPaymentStatus.Rejected"/> with a reason, or
/// <see cref="DepositPaymentStatus.DoubleSpend"/> with proofs), exactly when <paramref name="Status"/> is <see cref="ProviderPaymentStatus.Rejected"/>.
/// </param>
public sealed record ProviderPaymentState(PaymentId Payment, ProviderPaymentStatus Status, SpendReceipt? Receipt, DepositPaymentOutcome? Rejection)
{
    /// <summary>A payment the provider does not know.</summary>
    /// <param name="payment">The payment.</param>
    /// <returns>The state.</returns>
    public static ProviderPaymentState Unknown(PaymentId payment) => new(payment, ProviderPaymentStatus.Unknown, null, null);

    /// <summary>A payment the scheme credited, with the provider's spend receipt.</summary>
    /// <param name="payment">The payment.</param>
    /// <param name="receipt">The spend receipt.</param>
    /// <returns>The state.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static ProviderPaymentState Paid(PaymentId payment, SpendReceipt receipt)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(receipt);
        return new(payment, ProviderPaymentStatus.Paid, receipt, null);
    }

    /// <summary>A payment the scheme refused, with its outcome (reason or double-spend proofs).</summary>
    /// <param name="outcome">The scheme's outcome; <see cref="DepositPaymentStatus.Rejected"/> or <see cref="DepositPaymentStatus.DoubleSpend"/>.</param>
    /// <returns>The state.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="outcome"/> is null.</exception>
    /// <exception cref="ArgumentException">The outcome credited the provider.</exception>
    public static ProviderPaymentState Rejected(DepositPaymentOutcome outcome)
    {
        ArgumentNullException.ThrowIfNull(outcome);
        if (outcome.Status is not (DepositPaymentStatus.Rejected or DepositPaymentStatus.DoubleSpend))
        {
            throw new ArgumentException("Only a rejected or double-spent payment is a rejection.", nameof(outcome));
        }

        return new(outcome.Payment, ProviderPaymentStatus.Rejected, null, outcome);
    }

    // What a deposit may settle: paid with a receipt, or rejected with the scheme's outcome (IProviderStore.SettleDepositAsync).
    internal static void CheckSettled(IReadOnlyList<ProviderPaymentState> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        foreach (var outcome in outcomes)
        {
            bool valid = outcome is not null && outcome.Status switch
            {
                ProviderPaymentStatus.Paid => outcome.Receipt is not null,
                ProviderPaymentStatus.Rejected => outcome.Rejection is not null,
                _ => false,
            };
            if (!valid)
            {
                throw new ArgumentException("A deposit settles a payment as paid (with a receipt) or rejected (with the outcome).", nameof(outcomes));
            }
        }
    }
}
