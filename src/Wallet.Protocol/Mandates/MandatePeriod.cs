namespace Wallet.Protocol.Mandates;

/// <summary>One period of one mandate: what a mandate payment request is bound to in the union's books.</summary>
/// <param name="Mandate">The mandate.</param>
/// <param name="Period">The period index (period 0 starts at <see cref="DuesMandate.StartsAt"/>).</param>
public sealed record MandatePeriod(MandateId Mandate, uint Period);
