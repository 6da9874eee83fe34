namespace Wallet.Protocol.Tests.Ledger;

/// <summary>Default allocation from a worker's sub-balance in a fund (or the expired account when null) to a provider (or the pool when null).</summary>
public sealed record AllocateRequest(string Key, int? FromWorker, int? ToProvider, long Amount, string Fund = LedgerModel.GeneralFund) : ModelRequest(Key)
{
    public override string Description => $"allocate {FromWorker} {Fund} {ToProvider} {Amount}";
}
