namespace Wallet.Protocol.Payouts;

/// <summary>The outcome of a payout made through <see cref="Roles.ISchemeOperator.PayoutAsync"/>.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Statement">The scheme-signed statement when <see cref="Status"/> is <see cref="PayoutStatus.Paid"/>; the same on every retry with the key.</param>
/// <param name="IsReplay">True when an earlier request with the same idempotency key had already made the payout (or was refused the same way).</param>
public sealed record PayoutResult(PayoutStatus Status, PayoutStatement? Statement, bool IsReplay)
{
    /// <summary>Whether the payout was made.</summary>
    public bool Succeeded => Status == PayoutStatus.Paid;
}
