namespace Wallet.Protocol.Binding;

/// <summary>
/// The media types of the operator API (docs/http.md "Operator API"). Each carries exactly one encoding: a canonical
/// PB/1 message (registry, allocation table) or an operator envelope (docs/http.md "Bodies").
/// </summary>
/// <remarks>Vendor tree per RFC 6838 section 3.2.</remarks>
public static class OperatorMediaTypes
{
    /// <summary>An empty acknowledgement: the operation was applied.</summary>
    public const string Ack = "application/vnd.walletcore.pb1.operator-ack";

    /// <summary>The scheme's Ed25519 public key.</summary>
    public const string SchemeKey = "application/vnd.walletcore.pb1.operator-scheme-key";

    /// <summary>An account id and its Ed25519 account key.</summary>
    public const string AccountKey = "application/vnd.walletcore.pb1.operator-account-key";

    /// <summary>A contribution: idempotency key, source, worker, amount.</summary>
    public const string Contribution = "application/vnd.walletcore.pb1.operator-contribution";

    /// <summary>A contribution's ledger status and replay flag.</summary>
    public const string ContributionResult = "application/vnd.walletcore.pb1.operator-contribution-result";

    /// <summary>An idempotency key and keyset parameters (no key material).</summary>
    public const string KeysetParameters = "application/vnd.walletcore.pb1.operator-keyset-parameters";

    /// <summary>One announced keyset: announcement, log index, revocation flag.</summary>
    public const string Keyset = "application/vnd.walletcore.pb1.operator-keyset";

    /// <summary>A canonical <c>AccreditationRegistry</c>, signed by the accreditation body.</summary>
    public const string Registry = "application/vnd.walletcore.pb1.operator-registry";

    /// <summary>A canonical <c>DefaultAllocationTable</c>, signed by the accreditation body.</summary>
    public const string AllocationTable = "application/vnd.walletcore.pb1.operator-allocation-table";

    /// <summary>Whether a registry or table was published.</summary>
    public const string Published = "application/vnd.walletcore.pb1.operator-published";

    /// <summary>A keyset id.</summary>
    public const string KeysetId = "application/vnd.walletcore.pb1.operator-keyset-id";

    /// <summary>An optional log entry: the expiry or default-allocation record an operation logged.</summary>
    public const string LogRecord = "application/vnd.walletcore.pb1.operator-log-record";

    /// <summary>A default-allocation round: its name and every account with sector and region.</summary>
    public const string AllocationRound = "application/vnd.walletcore.pb1.operator-allocation-round";

    /// <summary>A ledger account: kind and key.</summary>
    public const string LedgerAccount = "application/vnd.walletcore.pb1.operator-ledger-account";

    /// <summary>A balance in minor units.</summary>
    public const string Balance = "application/vnd.walletcore.pb1.operator-balance";

    /// <summary>A keyset's ledger totals.</summary>
    public const string KeysetTotals = "application/vnd.walletcore.pb1.operator-keyset-totals";

    /// <summary>The ledger verification report.</summary>
    public const string LedgerVerification = "application/vnd.walletcore.pb1.operator-ledger-verification";
}
