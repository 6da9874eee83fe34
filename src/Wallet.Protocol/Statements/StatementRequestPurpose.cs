namespace Wallet.Protocol.Statements;

/// <summary>What a <see cref="StatementRequest"/> asks for: it is answered by that call only.</summary>
public enum StatementRequestPurpose : byte
{
    /// <summary>The worker's statement (<see cref="WorkerStatement"/>).</summary>
    Statement = 1,

    /// <summary>The contribution receipts of the period (<see cref="ContributionReceipt"/>).</summary>
    Receipts = 2,
}
