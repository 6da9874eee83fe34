namespace Wallet.Protocol.Tests.Ledger;

public sealed record SwapRequest(string Key, (long Coin, int Keyset, long Value)[] Inputs, (int Keyset, long Value)[] Outputs) : ModelRequest(Key)
{
    public override string Description => $"swap {string.Join(",", Inputs.Order())} {string.Join(",", Outputs.Order())}";
}
