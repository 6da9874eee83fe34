using Wallet.Protocol;

namespace PortableBenefits.Linkage.Truth;

/// <summary>
/// A <c>profile</c> line of the ground truth: who employs a worker, and the sector and region that the scheme holds
/// for default allocation.
/// </summary>
/// <param name="Account">The worker's account.</param>
/// <param name="Employer">The employer's name (one token, no tab).</param>
/// <param name="Sector">The employer's sector, as the default-allocation table names it.</param>
/// <param name="Region">The employer's region, as the default-allocation table names it.</param>
public sealed record WorkerProfile(AccountId Account, string Employer, string Sector, string Region);
