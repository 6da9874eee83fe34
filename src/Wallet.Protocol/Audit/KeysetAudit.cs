namespace Wallet.Protocol.Audit;

/// <summary>Per-keyset totals recomputed from the log.</summary>
/// <param name="Keyset">The keyset.</param>
/// <param name="Issued">Coins issued.</param>
/// <param name="Spent">Coins spent.</param>
/// <param name="Reversed">
/// Coins paid for by withdrawals that were reversed instead of issued (docs/PROTOCOL.md 5.3); not part of
/// <paramref name="Issued"/>. The ledger's keyset counters give issued − reversed = this issued, in value.
/// </param>
public sealed record KeysetAudit(KeysetId Keyset, long Issued, long Spent, long Reversed = 0)
{
    /// <summary>Coins issued and not yet spent.</summary>
    public long Outstanding => Issued - Spent;
}
