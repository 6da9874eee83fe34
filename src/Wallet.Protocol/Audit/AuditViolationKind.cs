namespace Wallet.Protocol.Audit;

/// <summary>What an audit found wrong.</summary>
public enum AuditViolationKind
{
    /// <summary>A tree head is not signed by the scheme.</summary>
    BadTreeHeadSignature = 1,

    /// <summary>A tree head's root is not the root of the log's first tree-size entries (a fork or a rewritten log).</summary>
    TreeHeadMismatch = 2,

    /// <summary>A keyset announcement is not signed by the scheme, or a keyset is announced twice.</summary>
    BadKeysetAnnouncement = 3,

    /// <summary>A registry is not signed by the accreditation body, or its version does not increase.</summary>
    BadRegistry = 4,

    /// <summary>An entry names a keyset not announced earlier in the log.</summary>
    UnknownKeyset = 5,

    /// <summary>A spent coin's issuer signature is invalid.</summary>
    BadIssuerSignature = 6,

    /// <summary>A coin appears as spent more than once.</summary>
    DuplicateSpend = 7,

    /// <summary>More coins of a keyset are spent than were issued so far.</summary>
    SpentExceedsIssued = 8,

    /// <summary>Coins were issued outside the keyset's withdrawal window or spent after its deposit window.</summary>
    OutsideWindow = 9,

    /// <summary>Coins were deposited while no registry was in force.</summary>
    NoRegistryInForce = 10,

    /// <summary>An expiry's value is not the keyset's unspent value per the log, or it happened inside the deposit window.</summary>
    ExpiryMismatch = 11,
    /// <summary>A swap or recovery does not conserve value per fund: its inputs and outputs differ for some fund.</summary>
    SwapValueMismatch = 12,

    /// <summary>A default-allocation table is not signed by the accreditation body, or its version or time does not increase.</summary>
    BadAllocationTable = 20,

    /// <summary>A default allocation names a table version other than the one in force at its time (or none was).</summary>
    NoAllocationTableInForce = 21,

    /// <summary>A keyset is allocated twice, before its expiry, or for a total other than its expired value; or a round repeats.</summary>
    AllocationMismatch = 22,

    /// <summary>A default allocation pays a provider the table in force does not direct it to (or one not accredited), or pools value an accredited default provider could take.</summary>
    AllocationWrongProvider = 23,

    /// <summary>A ledger checkpoint is not signed by the scheme (docs/PROTOCOL.md 5.15).</summary>
    BadLedgerCheckpointSignature = 30,

    /// <summary>A ledger checkpoint's sequence is not the previous one's plus one, or its log size is not its own index.</summary>
    LedgerCheckpointOutOfOrder = 31,

    /// <summary>A ledger checkpoint's journal has fewer entries than the previous checkpoint's, or as many with another head hash.</summary>
    LedgerCheckpointJournalRewound = 32,

    /// <summary>A ledger checkpoint's account kinds do not sum to zero, or its outstanding total, per-keyset and per-fund values disagree.</summary>
    LedgerCheckpointUnbalanced = 33,

    /// <summary>A keyset's outstanding value in a ledger checkpoint is not what the log before it gives.</summary>
    LedgerCheckpointKeysetMismatch = 34,

    /// <summary>A fund's outstanding value in a ledger checkpoint is not what the log before it gives.</summary>
    LedgerCheckpointFundMismatch = 35,

    /// <summary>A ledger checkpoint's provider payable, payouts, default pool or expired total is not what the log before it gives.</summary>
    LedgerCheckpointTotalMismatch = 36,

    /// <summary>A refund is more than the provider payable the log implies: providers were credited less than is refunded (docs/PROTOCOL.md 5.17).</summary>
    RefundExceedsPayable = 40,

    /// <summary>A refund's amount is not the value of the coins issued for it.</summary>
    RefundValueMismatch = 41,

    /// <summary>A refund names a provider no registry in force accredits.</summary>
    RefundUnknownProvider = 42,

    /// <summary>A refund's coins span more than one fund.</summary>
    RefundMixedFunds = 43,
    /// <summary>A payout pays a provider that no registry before it named (docs/PROTOCOL.md 5.18).</summary>
    PayoutToUnknownProvider = 45,

    /// <summary>Payouts exceed what the log credited to providers: deposits + allocations - payouts fell below zero.</summary>
    PayoutExceedsPayable = 46,

    /// <summary>A funds table is not signed by the accreditation body, or its version or time does not increase (docs/PROTOCOL.md 5.22).</summary>
    BadFundsTable = 60,

    /// <summary>A withdrawal issued coins of a fund that the funds table in force sends no contribution to: they were paid with another fund's money.</summary>
    UnfundedFundIssued = 61,

    /// <summary>A ledger checkpoint's workers' totals per fund do not add up to its worker totals: general against kind 2, the other funds against kind 8 (docs/PROTOCOL.md 5.15).</summary>
    LedgerCheckpointWorkerFundsMismatch = 62,

    /// <summary>A ledger checkpoint states a negative total for the workers' sub-balances of a fund, which the ledger never lets fall below zero.</summary>
    LedgerCheckpointWorkerFundNegative = 63,

    /// <summary>A ledger checkpoint holds workers' money in a fund that no funds table or keyset announcement before it names.</summary>
    LedgerCheckpointUnknownWorkerFund = 64,
}
