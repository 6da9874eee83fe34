namespace Wallet.Protocol.Wallets;

/// <summary>
/// What the wallet should pay, and to whom, so that coins about to expire go where the default-allocation table
/// would send them anyway — but through an ordinary, unlinkable payment rather than by expiring.
/// </summary>
/// <param name="Status">Whether there is something to pay.</param>
/// <param name="Provider">The default provider (null unless resolved).</param>
/// <param name="Amount">The value of <paramref name="Coins"/>: the amount of the payment request to ask the provider for.</param>
/// <param name="Coins">The expiring coins the provider accepts.</param>
/// <param name="LeftOver">The value of expiring coins the provider cannot take (a fund it is not accredited for).</param>
public sealed record DefaultAllocationPlan(DefaultAllocationPlanStatus Status, AccountId? Provider, Amount Amount, IReadOnlyList<WalletCoin> Coins, Amount LeftOver);
