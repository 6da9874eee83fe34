namespace Wallet.Protocol.Tests.Ledger;

/// <summary>A withdrawal's reversal; its key is the one the ledger derives from the withdrawal's key.</summary>
public sealed record ReverseRequest(string Key, string Withdrawal, int Worker, long Amount) : ModelRequest(Key)
{
    public override string Description => $"reverse {Withdrawal} {Worker} {Amount}";
}
