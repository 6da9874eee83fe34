namespace Wallet.Protocol.Tests.Ledger;

public sealed record DepositRequest(string Key, int Provider, (long Coin, int Keyset, long Value)[] Coins) : ModelRequest(Key)
{
    public override string Description => $"deposit {Provider} {string.Join(",", Coins.Order())}";
}
