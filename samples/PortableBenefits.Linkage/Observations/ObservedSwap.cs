using Wallet.Protocol;

namespace PortableBenefits.Linkage.Observations;

/// <summary>A swap as the ledger records it: no account, only when, the input coins and the output counts per keyset.</summary>
/// <param name="Time">The entry's timestamp.</param>
/// <param name="Inputs">The coins spent.</param>
/// <param name="Outputs">New coins issued per keyset.</param>
internal sealed record ObservedSwap(DateTimeOffset Time, IReadOnlyList<ObservedCoin> Inputs, IReadOnlyDictionary<KeysetId, int> Outputs);
