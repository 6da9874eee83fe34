namespace Wallet.Protocol.Deposits;

/// <summary>An accepted deposit as stored for replay: the request's hash and the receipt sent.</summary>
/// <param name="RequestHash">SHA-256 of the deposit request.</param>
/// <param name="Receipt">The receipt.</param>
public sealed record StoredDeposit(ReadOnlyMemory<byte> RequestHash, DepositReceipt Receipt);
