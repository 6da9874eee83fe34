namespace Wallet.Protocol.Wallets.State;

/// <summary>Where a coin comes from in the seed: its keyset and derivation counter.</summary>
/// <param name="Keyset">The keyset.</param>
/// <param name="Counter">The seed derivation counter.</param>
internal readonly record struct CoinSlot(KeysetId Keyset, ulong Counter);
