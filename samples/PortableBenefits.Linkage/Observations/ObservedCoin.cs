using Wallet.Protocol;

namespace PortableBenefits.Linkage.Observations;

/// <summary>A spent coin: its id and keyset, as the ledger lists it.</summary>
/// <param name="Id">The coin id.</param>
/// <param name="Keyset">Its keyset.</param>
internal sealed record ObservedCoin(CoinId Id, KeysetId Keyset);
