namespace Wallet.Protocol.Swaps;

/// <summary>An honoured swap or recovery as stored for replay: the request's hash and the response sent.</summary>
/// <param name="RequestHash">SHA-256 of the request.</param>
/// <param name="Response">The response.</param>
public sealed record StoredSwap(ReadOnlyMemory<byte> RequestHash, SwapResponse Response);
