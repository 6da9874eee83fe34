using Wallet.Protocol;
using Wallet.Protocol.Payments;

namespace PortableBenefits.Linkage.Observations;

/// <summary>
/// A deposited payment as the scheme keeps it: the payment request every one of its coins' first spends carries
/// (provider, amount, issue time), when its batch was credited, its coins, and where it sat in its batch.
/// </summary>
/// <param name="Id">The payment request's hash.</param>
/// <param name="Provider">The provider paid.</param>
/// <param name="Amount">The requested amount.</param>
/// <param name="RequestedAt">The request's payment day (PB/1 version 2 keeps only the UTC day; what reaches the scheme with every spend).</param>
/// <param name="DepositedAt">When the deposit that credited it was journalled.</param>
/// <param name="Coins">Its coins, in coin-id order.</param>
/// <param name="BatchPosition">
/// Its rank among its batch's payments in the order the scheme logged their coins, from 0 (first) to 1 (last); null
/// when it was alone in its batch, where a position says nothing.
/// </param>
internal sealed record ObservedPayment(PaymentId Id, AccountId Provider, Amount Amount, DateTimeOffset RequestedAt, DateTimeOffset DepositedAt, IReadOnlyList<ObservedCoin> Coins, double? BatchPosition)
{
    /// <summary>Gets the latest moment the payment can have been made: the end of its payment day, or its deposit if earlier.</summary>
    public DateTimeOffset PaidBy
    {
        get
        {
            var dayEnd = RequestedAt + PaymentRequest.TimeGranularity - TimeSpan.FromSeconds(1);
            return dayEnd < DepositedAt ? dayEnd : DepositedAt;
        }
    }
}
