namespace Wallet.Protocol.Wallets;

/// <summary>The outcome of planning a client-side default allocation.</summary>
public enum DefaultAllocationPlanStatus
{
    /// <summary>Coins expire soon and the plan names the provider and the coins to pay it.</summary>
    Ready = 1,

    /// <summary>No unspent coin expires within the horizon.</summary>
    NothingExpiring = 2,

    /// <summary>The table is not signed by the accreditation body, or is not in force yet.</summary>
    InvalidTable = 3,

    /// <summary>The registry is not signed by the accreditation body.</summary>
    InvalidRegistry = 4,

    /// <summary>The provider the table resolves is not accredited now, or accepts none of the expiring coins' funds; the scheme will pool the value at expiry.</summary>
    ProviderCannotTake = 5,
}
