namespace Wallet.Protocol.Wallets.State;

/// <summary>The blinding of one output slot, held from preparation to completion (<see cref="WalletState.Blindings"/>), with the coin id it blinds.</summary>
/// <param name="State">The blinding state; secret, wiped by whoever takes it out of the wallet state.</param>
/// <param name="Coin">The id of the coin the slot derives.</param>
internal sealed record HeldBlinding(BlindingState State, CoinId Coin);
