using Wallet.Protocol;

namespace PortableBenefits.Linkage.Observations;

/// <summary>A withdrawal as the ledger records it: the worker account, when, and how many coins of each keyset.</summary>
/// <param name="Sequence">The journal entry's sequence number.</param>
/// <param name="Account">The withdrawing worker (withdrawals name the account).</param>
/// <param name="Time">The entry's timestamp.</param>
/// <param name="Coins">Coins issued per keyset.</param>
internal sealed record ObservedWithdrawal(long Sequence, AccountId Account, DateTimeOffset Time, IReadOnlyDictionary<KeysetId, int> Coins);
