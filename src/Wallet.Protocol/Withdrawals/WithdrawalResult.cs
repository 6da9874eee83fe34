namespace Wallet.Protocol.Withdrawals;

/// <summary>A withdrawal outcome: the status and, when issued, the response; when reversed, the reversal receipt.</summary>
/// <param name="Status">The outcome.</param>
/// <param name="Response">The response when <paramref name="Status"/> is <see cref="WithdrawalStatus.Issued"/>.</param>
public sealed record WithdrawalResult(WithdrawalStatus Status, WithdrawalResponse? Response)
{
    /// <summary>The scheme's signed reversal answer when <see cref="Status"/> is <see cref="WithdrawalStatus.Reversed"/>.</summary>
    public WithdrawalReversalReceipt? Reversal { get; init; }
}
