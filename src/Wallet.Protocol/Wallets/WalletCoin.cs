namespace Wallet.Protocol.Wallets;

/// <summary>A coin held by a wallet: the public coin, its derivation counter and its value. The coin key is re-derived from the seed when spent.</summary>
/// <param name="Coin">The coin.</param>
/// <param name="Counter">The seed derivation counter.</param>
/// <param name="Value">The keyset denomination.</param>
public sealed record WalletCoin(Coin Coin, ulong Counter, Amount Value);
