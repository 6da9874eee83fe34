namespace Wallet.Protocol.Wallets;

/// <summary>Whether <see cref="WorkerWallet.PrepareRefundClaim"/> produced a claim, and why not.</summary>
public enum RefundClaimPreparationStatus
{
    /// <summary>The claim is signed and pending; send it to the scheme.</summary>
    Ready = 1,

    /// <summary>The refund does not name coins of one of this wallet's payments to that provider.</summary>
    NotOurPayment = 2,

    /// <summary>No trusted keyset of the refunded coins' fund is withdrawable now.</summary>
    NoKeyset = 3,

    /// <summary>The withdrawable keysets' denominations cannot make exactly the refunded amount.</summary>
    NoExactSplit = 4,

    /// <summary>A claim of this refund is already pending: send that one again.</summary>
    AlreadyPending = 5,
}
