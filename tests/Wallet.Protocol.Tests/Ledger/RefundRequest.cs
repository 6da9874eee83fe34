namespace Wallet.Protocol.Tests.Ledger;

/// <summary>A provider's refund paid out of its payable as new coins (docs/PROTOCOL.md 5.17).</summary>
public sealed record RefundRequest(string Key, int Provider, (int Keyset, long Value)[] Outputs) : ModelRequest(Key)
{
    public override string Description => $"refund {Provider} [{string.Join(",", Outputs.OrderBy(o => o.Keyset).ThenBy(o => o.Value))}]";
}
