namespace Wallet.Protocol.Registry;

/// <summary>
/// What the default-allocation table needs to know about one worker whose balance was never withdrawn: the account
/// and the (sector, region) the scheme already holds for it from contributions. Nothing else about the worker is used.
/// </summary>
/// <param name="Account">The worker's scheme account.</param>
/// <param name="Sector">The sector token.</param>
/// <param name="Region">The region token.</param>
public sealed record DefaultAllocationInput(AccountId Account, string Sector, string Region);
