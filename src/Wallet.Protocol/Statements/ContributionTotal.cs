namespace Wallet.Protocol.Statements;

/// <summary>What one contributor paid from one source over a statement's period.</summary>
/// <param name="Source">The source.</param>
/// <param name="Contributor">The contributor, or null for contributions that named nobody.</param>
/// <param name="Total">The sum.</param>
/// <param name="Count">How many contributions.</param>
public sealed record ContributionTotal(ContributionSource Source, AccountId? Contributor, Amount Total, int Count);
