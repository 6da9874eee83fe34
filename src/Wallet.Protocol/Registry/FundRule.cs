namespace Wallet.Protocol.Registry;

/// <summary>One row of the funds table: contributions from <paramref name="Source"/> are credited to <paramref name="Fund"/>.</summary>
/// <param name="Source">The contribution source.</param>
/// <param name="Fund">The fund token (<c>general</c> or a restricted fund such as <c>training</c>); printable ASCII without <c>/</c>.</param>
/// <remarks>docs/PROTOCOL.md section 5.22.</remarks>
public sealed record FundRule(ContributionSource Source, string Fund);
