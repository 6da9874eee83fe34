using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.Client;

/// <summary>The funds table (docs/PROTOCOL.md 5.22) published over real HTTP, and a worker's funds read back through the operator.</summary>
public sealed class HttpFundsTableTests
{
    [Fact]
    public async Task FundsTablePublishedOverHttpRoutesTheLevyToTraining()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var world = op.World;
            ISchemeOperator client = op.Client();
            var (wallet, _) = await world.NewWalletAsync("worker-funds", 0);
            using var stranger = Ed25519SigningKey.Generate();
            var table = FundsTable.Sign(1, ProtocolWorld.Start.AddDays(-1), [new FundRule(ContributionSource.Levy, "training")], world.AccreditationKey);

            Assert.False(await client.PublishFundsTableAsync(FundsTable.Sign(1, ProtocolWorld.Start.AddDays(-1), [], stranger)));
            Assert.True(await client.PublishFundsTableAsync(table));
            Assert.False(await client.PublishFundsTableAsync(table));
            Assert.True((await client.ContributeAsync(new IdempotencyKey("levy-1"), ContributionSource.Levy, wallet.Account, Amount.FromMinorUnits(500))).Succeeded);

            Assert.Equal(500, await client.GetBalanceAsync(LedgerAccount.WorkerFund(wallet.Account, "training")));
            Assert.Equal(0, await client.GetBalanceAsync(LedgerAccount.Worker(wallet.Account)));
            Assert.Equal(table.Encode(), Assert.Single(await world.Scheme.ListFundsTablesAsync()).Encode());
            Assert.True((await client.VerifyLedgerAsync()).IsValid);
            await Assert.ThrowsAsync<ArgumentNullException>(() => client.PublishFundsTableAsync(null!));
        }
    }
}
