namespace Wallet.Protocol.Ledger;

/// <summary>What one journal entry does to one keyset's conservation counters.</summary>
/// <param name="Keyset">The keyset.</param>
/// <param name="Issued">Value issued as new coins.</param>
/// <param name="Deposited">Value of its coins deposited by providers.</param>
/// <param name="SwappedIn">Value of its coins spent as swap inputs.</param>
/// <param name="Expired">Value that expired unspent.</param>
/// <param name="Reversed">Value issued by a withdrawal and returned to the worker because it was never signed.</param>
/// <param name="Closes">Whether the entry expires (closes) the keyset.</param>
public sealed record KeysetEffect(KeysetId Keyset, Amount Issued, Amount Deposited, Amount SwappedIn, Amount Expired, Amount Reversed, bool Closes);
