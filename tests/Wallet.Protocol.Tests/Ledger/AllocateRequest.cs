namespace Wallet.Protocol.Tests.Ledger;

/// <summary>Default allocation from a worker (or the expired account when null) to a provider (or the pool when null).</summary>
public sealed record AllocateRequest(string Key, int? FromWorker, int? ToProvider, long Amount) : ModelRequest(Key)
{
    public override string Description => $"allocate {FromWorker} {ToProvider} {Amount}";
}
