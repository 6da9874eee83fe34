namespace Wallet.Protocol.Tests.Ledger;

public sealed record WithdrawRequest(string Key, int Worker, (int Keyset, long Value)[] Coins) : ModelRequest(Key)
{
    public override string Description => $"withdraw {Worker} {string.Join(",", Coins.Order())}";
}
