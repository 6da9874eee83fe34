namespace Wallet.Protocol.Tests.Ledger;

/// <summary>A payout of a provider's payable (docs/PROTOCOL.md 5.18).</summary>
public sealed record PayoutRequest(string Key, int Provider, long Amount) : ModelRequest(Key)
{
    public override string Description => $"payout {Provider} {Amount}";
}
