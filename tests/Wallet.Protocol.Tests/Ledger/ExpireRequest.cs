namespace Wallet.Protocol.Tests.Ledger;

public sealed record ExpireRequest(string Key, int Keyset) : ModelRequest(Key)
{
    public override string Description => $"expire {Keyset}";
}
