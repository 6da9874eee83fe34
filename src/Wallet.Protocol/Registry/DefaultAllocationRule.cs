namespace Wallet.Protocol.Registry;

/// <summary>One row of the default-allocation table: workers of <paramref name="Sector"/> in <paramref name="Region"/> default to <paramref name="Provider"/>. "*" matches any.</summary>
/// <param name="Sector">The sector token, or "*".</param>
/// <param name="Region">The region token, or "*".</param>
/// <param name="Provider">The default provider.</param>
public sealed record DefaultAllocationRule(string Sector, string Region, AccountId Provider);
