namespace Wallet.Protocol.Log;

/// <summary>
/// The account kinds a <see cref="LedgerCheckpointRecord"/> totals, by their wire code. The codes are those of the
/// scheme's ledger account kinds (docs/ledger.md); the log and the auditor name them here because they never read the
/// ledger itself (docs/architecture.md).
/// </summary>
/// <remarks>docs/PROTOCOL.md 5.15. Codes not listed here (kinds a later version adds) still
/// decode and count in the zero-sum check.</remarks>
public enum LedgerTotalKind : byte
{
    /// <summary>Contribution sources (negative: where money enters the books).</summary>
    ContributionSource = 1,

    /// <summary>Workers' not yet withdrawn balances.</summary>
    Worker = 2,

    /// <summary>Value issued as coins and not yet deposited, swapped, expired or reversed.</summary>
    Outstanding = 3,

    /// <summary>What the scheme owes accredited providers.</summary>
    ProviderPayable = 4,

    /// <summary>Value the default rule could not pay to a provider.</summary>
    DefaultPool = 5,

    /// <summary>Expired value awaiting default allocation.</summary>
    Expired = 6,

    /// <summary>Everything paid out of the scheme to providers (docs/PROTOCOL.md 5.18): where money leaves the books.</summary>
    Payouts = 7,

    /// <summary>Workers' sub-balances in restricted funds, not yet withdrawn (docs/PROTOCOL.md 5.22); the general fund is <see cref="Worker"/>.</summary>
    WorkerFund = 8,
}
