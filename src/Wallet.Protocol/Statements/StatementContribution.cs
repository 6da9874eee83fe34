namespace Wallet.Protocol.Statements;

/// <summary>One contribution on a statement: the record and its journal entry's sequence (what its receipt carries).</summary>
/// <param name="Record">The contribution.</param>
/// <param name="LedgerSequence">The sequence of its journal entry.</param>
public sealed record StatementContribution(ContributionRecord Record, long LedgerSequence);
