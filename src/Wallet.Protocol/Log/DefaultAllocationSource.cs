namespace Wallet.Protocol.Log;

/// <summary>Which value a default allocation directs (DESIGN.md section 3, flow 6).</summary>
public enum DefaultAllocationSource : byte
{
    /// <summary>The unspent value of one keyset, moved to the expired account when the keyset closed.</summary>
    ExpiredKeyset = 1,

    /// <summary>Worker balances never withdrawn before an epoch closed, allocated in one named round.</summary>
    UnwithdrawnBalances = 2,
}
