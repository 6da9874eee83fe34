namespace Wallet.Protocol.Statements;

/// <summary>How a worker's statement compares with the contribution receipts the worker holds.</summary>
public enum ReconciliationStatus
{
    /// <summary>Every contribution on the statement has its receipt and every receipt of the period is on the statement, with the same values.</summary>
    Reconciled = 1,

    /// <summary>The statement is not the scheme's signed answer to the wallet's request.</summary>
    InvalidStatement = 2,

    /// <summary>A receipt is not signed by the scheme, or is another account's.</summary>
    InvalidReceipt = 3,

    /// <summary>The receipts were asked for another period than the statement.</summary>
    PeriodMismatch = 4,

    /// <summary>A contribution lacks its receipt, a receipt of the period is missing from the statement, or their values differ.</summary>
    Mismatch = 5,
}
