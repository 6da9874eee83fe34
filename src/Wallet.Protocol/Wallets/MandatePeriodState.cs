namespace Wallet.Protocol.Wallets;

/// <summary>Where one period of a dues mandate stands in the wallet.</summary>
public enum MandatePeriodState
{
    /// <summary>The period has started but its pay moment has not come.</summary>
    Scheduled = 1,

    /// <summary>The pay moment has passed and the period is not paid yet.</summary>
    Due = 2,

    /// <summary>Paid; the union's spend receipt has not come yet.</summary>
    InFlight = 3,

    /// <summary>Paid, and the union's spend receipt is kept.</summary>
    Paid = 4,

    /// <summary>Not paid, and the pay window has closed or the funds were short when the wallet tried: paid first when funds arrive.</summary>
    Arrears = 5,
}
