namespace Wallet.Protocol.Ledger;

/// <summary>One line of a journal entry: a signed change to one account's balance, in minor units.</summary>
/// <param name="Account">The account.</param>
/// <param name="Delta">The change; never zero. The deltas of one entry sum to zero.</param>
public sealed record Posting(LedgerAccount Account, long Delta);
