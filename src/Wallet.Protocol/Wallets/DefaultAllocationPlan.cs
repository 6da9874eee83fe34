namespace Wallet.Protocol.Wallets;

/// <summary>
/// What the wallet should pay, and to whom, so that coins about to expire go where the default-allocation table
/// would send them anyway, rather than by expiring: as <see cref="Parts"/>, payments each no larger than an ordinary
/// one, each at its own random moment (docs/PROTOCOL.md section 5.8).
/// </summary>
/// <param name="Status">Whether there is something to pay.</param>
/// <param name="Provider">The default provider (null unless resolved).</param>
/// <param name="Amount">The value of <paramref name="Coins"/>, the sum of the parts.</param>
/// <param name="Coins">The expiring coins the provider accepts.</param>
/// <param name="LeftOver">The value of expiring coins the provider cannot take (a fund it is not accredited for).</param>
/// <param name="Parts">The payments to make, by suggested moment (<see cref="DefaultAllocationPart.NotBefore"/>); empty unless ready.</param>
public sealed record DefaultAllocationPlan(DefaultAllocationPlanStatus Status, AccountId? Provider, Amount Amount, IReadOnlyList<WalletCoin> Coins, Amount LeftOver, IReadOnlyList<DefaultAllocationPart> Parts);
