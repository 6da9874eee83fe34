namespace Wallet.Protocol.Wallets.State;

/// <summary>A swap or recovery prepared but not completed: its input coins stay reserved until it completes or is abandoned.</summary>
/// <param name="RequestHash">The hash the scheme's response signs.</param>
/// <param name="Inputs">The reserved input coins.</param>
/// <param name="Outputs">The seed slot of each new coin, in request order.</param>
/// <param name="Request">The <see cref="Swaps.SwapRequest"/> or <see cref="Recovery.RecoveryRequest"/> itself, kept so the wallet file can carry it (docs/PROTOCOL.md section 8.1).</param>
internal sealed record PendingSwap(byte[] RequestHash, CoinId[] Inputs, CoinSlot[] Outputs, object Request);
