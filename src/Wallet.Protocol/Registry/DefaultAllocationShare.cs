namespace Wallet.Protocol.Registry;

/// <summary>One job's part of a balance split by <see cref="DefaultAllocationTable.Split"/>: the job, its resolved provider and the amount.</summary>
/// <param name="Job">The job.</param>
/// <param name="Provider">The provider the table resolves for the job's (sector, region).</param>
/// <param name="Amount">The job's part, more than zero.</param>
public sealed record DefaultAllocationShare(DefaultAllocationJob Job, AccountId Provider, Amount Amount);
