namespace Wallet.Protocol.Wallets;

/// <summary>One period of a dues mandate, as the wallet sees it.</summary>
/// <param name="Period">The period index (period 0 starts at <see cref="DuesMandate.StartsAt"/>).</param>
/// <param name="PayAt">The wallet's pay moment for it: drawn uniformly within the pay window, from the seed.</param>
/// <param name="State">Where it stands.</param>
public sealed record MandatePeriodStatus(uint Period, DateTimeOffset PayAt, MandatePeriodState State);
