using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Registry;

namespace PortableBenefits.Linkage.Observations;

/// <summary>Everything the attack may use: what the scheme stores, reduced to the events that could link a payment to a worker.</summary>
/// <param name="Keysets">Every announced keyset, by id.</param>
/// <param name="Withdrawals">Withdrawals in journal order.</param>
/// <param name="Payments">Deposited payments in deposit order.</param>
/// <param name="Swaps">Swaps in journal order.</param>
/// <param name="AllocationTables">The default-allocation tables published in the log, with the time each was issued, in log order.</param>
internal sealed record SchemeObservations(
    IReadOnlyDictionary<KeysetId, KeysetDescriptor> Keysets,
    IReadOnlyList<ObservedWithdrawal> Withdrawals,
    IReadOnlyList<ObservedPayment> Payments,
    IReadOnlyList<ObservedSwap> Swaps,
    IReadOnlyList<(DateTimeOffset IssuedAt, DefaultAllocationTable Table)> AllocationTables);
