namespace Wallet.Protocol.Audit;

/// <summary>Per-keyset totals recomputed from the log.</summary>
/// <param name="Keyset">The keyset.</param>
/// <param name="Issued">Coins issued.</param>
/// <param name="Spent">Coins spent.</param>
public sealed record KeysetAudit(KeysetId Keyset, long Issued, long Spent)
{
    /// <summary>Coins issued and not yet spent.</summary>
    public long Outstanding => Issued - Spent;
}
