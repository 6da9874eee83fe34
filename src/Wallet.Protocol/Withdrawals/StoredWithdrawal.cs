namespace Wallet.Protocol.Withdrawals;

/// <summary>An honoured withdrawal as stored for replay: the request's hash and the response sent.</summary>
/// <param name="RequestHash">SHA-256 of the withdrawal request.</param>
/// <param name="Response">The response.</param>
public sealed record StoredWithdrawal(ReadOnlyMemory<byte> RequestHash, WithdrawalResponse Response);
