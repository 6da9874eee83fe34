namespace Wallet.Protocol.Binding;

/// <summary>
/// The media types of the operator API (docs/http.md "Operator API"). Each carries exactly one encoding: a canonical
/// PB/1 message (registry, allocation table) or an operator envelope (docs/http.md "Bodies").
/// </summary>
/// <remarks>Vendor tree per RFC 6838 section 3.2.</remarks>
public static class OperatorMediaTypes
{
    /// <summary>The operator API media types share the PB/1 vendor tree.</summary>
    private const string Prefix = PbMediaTypes.Prefix + "operator-";

    /// <summary>An empty acknowledgement: the operation was applied.</summary>
    public const string Ack = Prefix + "ack";

    /// <summary>The scheme's Ed25519 public key.</summary>
    public const string SchemeKey = Prefix + "scheme-key";

    /// <summary>An account id and its Ed25519 account key.</summary>
    public const string AccountKey = Prefix + "account-key";

    /// <summary>A contribution: idempotency key, source, worker, amount.</summary>
    public const string Contribution = Prefix + "contribution";

    /// <summary>A contribution's ledger status and replay flag.</summary>
    public const string ContributionResult = Prefix + "contribution-result";

    /// <summary>A payroll batch: its lines (contributor, line key, source, worker, amount).</summary>
    public const string PayrollBatch = Prefix + "payroll-batch";

    /// <summary>A payroll batch's results: one status and replay flag per line, in line order.</summary>
    public const string PayrollResults = Prefix + "payroll-results";

    /// <summary>An idempotency key and keyset parameters (no key material).</summary>
    public const string KeysetParameters = Prefix + "keyset-parameters";

    /// <summary>One announced keyset: announcement, log index, revocation flag.</summary>
    public const string Keyset = Prefix + "keyset";

    /// <summary>A canonical <c>AccreditationRegistry</c>, signed by the accreditation body.</summary>
    public const string Registry = Prefix + "registry";

    /// <summary>A canonical <c>DefaultAllocationTable</c>, signed by the accreditation body.</summary>
    public const string AllocationTable = Prefix + "allocation-table";

    /// <summary>A canonical <c>FundsTable</c>, signed by the accreditation body (docs/PROTOCOL.md 5.22).</summary>
    public const string FundsTable = Prefix + "funds-table";

    /// <summary>Whether a registry or table was published.</summary>
    public const string Published = Prefix + "published";

    /// <summary>A ledger checkpoint request: its idempotency key (docs/PROTOCOL.md 5.15).</summary>
    public const string LedgerCheckpointRequest = Prefix + "ledger-checkpoint-request";

    /// <summary>A keyset id.</summary>
    public const string KeysetId = Prefix + "keyset-id";

    /// <summary>An optional log entry: the expiry or default-allocation record an operation logged.</summary>
    public const string LogRecord = Prefix + "log-record";

    /// <summary>An optional reversal summary: how many withdrawals of a revoked keyset were returned, and their value.</summary>
    public const string ReversalSummary = Prefix + "reversal-summary";

    /// <summary>A default-allocation round: its name and every account with sector and region.</summary>
    public const string AllocationRound = Prefix + "allocation-round";

    /// <summary>A ledger account: kind and key.</summary>
    public const string LedgerAccount = Prefix + "ledger-account";

    /// <summary>A balance in minor units.</summary>
    public const string Balance = Prefix + "balance";

    /// <summary>A keyset's ledger totals.</summary>
    public const string KeysetTotals = Prefix + "keyset-totals";

    /// <summary>The ledger verification report.</summary>
    public const string LedgerVerification = Prefix + "ledger-verification";

    /// <summary>A payout: idempotency key, provider, amount (docs/PROTOCOL.md 5.18).</summary>
    public const string Payout = Prefix + "payout";

    /// <summary>A payout's status, replay flag and, when paid, the scheme-signed <c>PayoutStatement</c>.</summary>
    public const string PayoutResult = Prefix + "payout-result";
}
