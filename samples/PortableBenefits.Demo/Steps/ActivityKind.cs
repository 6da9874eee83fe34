namespace PortableBenefits.Demo.Steps;

/// <summary>What a worker's app does at one moment of the month.</summary>
internal enum ActivityKind
{
    /// <summary>Sync with the log and withdraw the month's balance.</summary>
    Withdraw,

    /// <summary>Swap large coins for small ones ahead of need (with the defences on).</summary>
    ChangeAhead,

    /// <summary>Pay a provider.</summary>
    Pay,

    /// <summary>The wallet pays its dues mandates' due periods, oldest first, at the moment it drew for them.</summary>
    Dues,
}
