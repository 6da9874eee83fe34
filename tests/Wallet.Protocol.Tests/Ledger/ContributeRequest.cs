using Wallet.Protocol.Ledger;

namespace Wallet.Protocol.Tests.Ledger;

public sealed record ContributeRequest(string Key, ContributionSource Source, int Worker, long Amount) : ModelRequest(Key)
{
    public override string Description => $"contribute {Source} {Worker} {Amount}";
}
