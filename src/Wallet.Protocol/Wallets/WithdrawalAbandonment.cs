namespace Wallet.Protocol.Wallets;

/// <summary>The outcome of <see cref="WorkerWallet.AbandonWithdrawal"/>.</summary>
public enum WithdrawalAbandonment
{
    /// <summary>The scheme's answer was a final refusal that moved nothing: the pending withdrawal is dropped.</summary>
    Abandoned = 1,

    /// <summary>The wallet has no pending withdrawal with this key.</summary>
    UnknownRequest = 2,

    /// <summary>
    /// The answer does not rule out a committed debit (<see cref="WithdrawalStatus.Issued"/> or
    /// <see cref="WithdrawalStatus.SigningKeyUnavailable"/>): the withdrawal stays pending; send the same request again
    /// and complete it. Without an answer at all, do not call abandon: resend.
    /// </summary>
    MayBeDebited = 3,
}
