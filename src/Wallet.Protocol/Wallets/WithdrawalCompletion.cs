namespace Wallet.Protocol.Wallets;

/// <summary>What the wallet made of a withdrawal response.</summary>
public enum WithdrawalCompletion
{
    /// <summary>Every coin unblinded and verified; the coins and the receipt are kept.</summary>
    Completed = 1,

    /// <summary>The wallet has no pending withdrawal for this request (or it was already completed).</summary>
    UnknownRequest = 2,

    /// <summary>The receipt does not verify for the request with the scheme's key.</summary>
    BadReceipt = 3,

    /// <summary>A blind signature does not yield a valid coin signature; nothing was kept.</summary>
    BadSignature = 4,
}
