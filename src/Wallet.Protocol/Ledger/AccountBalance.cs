namespace Wallet.Protocol.Ledger;

/// <summary>An account's balance in minor units (negative only for contribution sources).</summary>
/// <param name="Account">The account.</param>
/// <param name="Balance">The balance.</param>
public sealed record AccountBalance(LedgerAccount Account, long Balance);
