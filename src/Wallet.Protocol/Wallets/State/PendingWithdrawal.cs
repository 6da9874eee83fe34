namespace Wallet.Protocol.Wallets.State;

/// <summary>A withdrawal prepared but not completed: the signed request (resent as is after a lost response) and the seed slot of each coin.</summary>
/// <param name="Request">The request sent to the scheme.</param>
/// <param name="Slots">The seed slot of each item, in request order.</param>
internal sealed record PendingWithdrawal(WithdrawalRequest Request, CoinSlot[] Slots);
