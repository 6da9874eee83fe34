namespace Wallet.Protocol.Deposits;

/// <summary>One refused coin: its position in the batch and the reason.</summary>
/// <param name="Index">The spend's index in the batch.</param>
/// <param name="Reason">Why it was refused.</param>
public sealed record DepositRejection(int Index, DepositRejectionReason Reason);
