namespace Wallet.Protocol.Wallets;

/// <summary>Why the wallet did or did not build a uniform withdrawal.</summary>
public enum WithdrawalPreparationStatus
{
    /// <summary>The request is signed and pending (send it, then <see cref="WorkerWallet.CompleteWithdrawal"/>).</summary>
    Ready = 1,

    /// <summary>The wallet trusts no general-fund keyset that is withdrawable now (trust the current epoch's keysets first).</summary>
    NoWithdrawableKeyset = 2,

    /// <summary>The balance is below the smallest withdrawable denomination: it stays in the account.</summary>
    NothingToWithdraw = 3,

    /// <summary>The statement given is not the scheme's signed answer to the wallet's request for this account: nothing was prepared.</summary>
    InvalidStatement = 4,
}
