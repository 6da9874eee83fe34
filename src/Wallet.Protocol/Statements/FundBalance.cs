namespace Wallet.Protocol.Statements;

/// <summary>A worker's balance in one fund, as a statement shows it.</summary>
/// <param name="Fund">The fund token.</param>
/// <param name="Balance">The balance when the statement was made.</param>
public sealed record FundBalance(string Fund, Amount Balance);
