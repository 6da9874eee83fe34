namespace Wallet.Protocol.Binding;

/// <summary>
/// The paths of the operator endpoints, relative to their own prefix (docs/http.md "Operator API"). The prefix is
/// separate from the wallet-facing one so a host can serve it on another listener, or behind mTLS.
/// </summary>
public static class OperatorRoutes
{
    /// <summary>The default prefix.</summary>
    public const string DefaultPrefix = "/pb1/operator";

    /// <summary>GET: the scheme's public key.</summary>
    public const string SchemeKey = "/scheme-key";

    /// <summary>POST: register an account key.</summary>
    public const string Accounts = "/accounts";

    /// <summary>POST: credit a contribution.</summary>
    public const string Contributions = "/contributions";

    /// <summary>POST: credit a payroll batch, many contribution lines in one transaction (docs/PROTOCOL.md 5.21).</summary>
    public const string PayrollBatches = "/contributions/batches";

    /// <summary>POST: generate a key and announce a keyset.</summary>
    public const string Keysets = "/keysets";

    /// <summary>POST: publish an accreditation registry.</summary>
    public const string Registries = "/registries";

    /// <summary>POST: publish a default-allocation table.</summary>
    public const string AllocationTables = "/allocation-tables";

    /// <summary>POST: publish a funds table (docs/PROTOCOL.md 5.22).</summary>
    public const string FundsTables = "/funds-tables";

    /// <summary>POST: log a ledger checkpoint (docs/PROTOCOL.md 5.15).</summary>
    public const string LedgerCheckpoints = "/ledger-checkpoints";

    /// <summary>POST: close a keyset after its deposit window.</summary>
    public const string Expiries = "/expiries";

    /// <summary>POST: return a revoked keyset's unissued withdrawals to the workers (docs/PROTOCOL.md 5.3).</summary>
    public const string Reversals = "/reversals";

    /// <summary>POST: allocate an expired keyset's value.</summary>
    public const string ExpiredAllocations = "/allocations/expired";

    /// <summary>POST: allocate never-withdrawn balances in one round.</summary>
    public const string UnwithdrawnAllocations = "/allocations/unwithdrawn";

    /// <summary>POST (read only): a ledger account's balance.</summary>
    public const string Balance = "/ledger/balance";

    /// <summary>POST (read only): a keyset's ledger totals.</summary>
    public const string KeysetTotals = "/ledger/keyset-totals";

    /// <summary>GET: replay and verify the ledger.</summary>
    public const string LedgerVerification = "/ledger/verification";

    /// <summary>POST: pay part or all of a provider's payable out of the scheme (docs/PROTOCOL.md 5.18).</summary>
    public const string Payouts = "/payouts";

    /// <summary>The authentication scheme of the built-in operator key (RFC 6750).</summary>
    public const string BearerScheme = "Bearer";
}
