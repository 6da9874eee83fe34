namespace Wallet.Protocol.Wallets;

/// <summary>Why the wallet did or did not build a swap (<see cref="WorkerWallet.PrepareChange"/>, <see cref="WorkerWallet.PrepareRollover"/>, <see cref="WorkerWallet.PrepareAbandonPayment"/>).</summary>
public enum SwapPreparationStatus
{
    /// <summary>The swap is signed and pending; its input coins are reserved until it completes or is abandoned.</summary>
    Ready = 1,

    /// <summary>Change: the free, swappable coins of the target keysets' fund are worth less than the amount.</summary>
    InsufficientCoins = 2,

    /// <summary>The target denominations cannot split the value exactly (or would need more outputs than a swap carries).</summary>
    NoExactSplit = 3,

    /// <summary>Rollover: no free, swappable coin is of a keyset outside the current ones.</summary>
    NothingToRollOver = 4,

    /// <summary>Abandon: the wallet has no record of this payment.</summary>
    UnknownPayment = 5,

    /// <summary>Abandon: the payment is not in flight (already being abandoned, refunded, or known to be deposited).</summary>
    PaymentNotInFlight = 6,

    /// <summary>Abandon: a coin of the payment is outside its keyset's spend or deposit window now, so no swap can take it back.</summary>
    CoinsNotSwappable = 7,

    /// <summary>Abandon: no target keyset is of the fund of some of the payment's coins.</summary>
    NoTargetForFund = 8,

    /// <summary>The wallet already holds enough value in small denominations (<see cref="WorkerWallet.PrepareChangeAhead"/>): nothing to swap.</summary>
    ChangeNotNeeded = 9,
}
