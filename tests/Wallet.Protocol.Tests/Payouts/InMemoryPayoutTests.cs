using Wallet.Crypto.Merkle;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Payouts;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Payouts;

/// <summary>The payout suite in memory, and the crash between the ledger entry and the log entry.</summary>
public sealed class InMemoryPayoutTests : PayoutContract
{
    protected override async Task<(ProtocolWorld World, ISchemeOperator Operator)> CreateAsync()
    {
        var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        return (world, world.Scheme);
    }

    [Fact]
    public async Task RetryAfterACrashBetweenTheLedgerAndTheLogCompletesTheLogAndReturnsTheStatement()
    {
        var (world, _) = await CreateAsync();
        using (world)
        {
            var provider = await PayableAsync(world, 600);
            // The first attempt died after the ledger committed its entry and before the log append: the entry is there
            // under the payout's ledger key, the log is not.
            var key = new IdempotencyKey("po-crash");
            var committed = await world.Ledger.PayoutAsync(SchemeContext.LedgerKey("po", "operator", key), provider, Amount.FromMinorUnits(350));
            Assert.True(committed.Succeeded);
            var size = (await world.Scheme.GetTreeHeadAsync()).TreeSize;

            var retry = await world.Scheme.PayoutAsync(key, provider, Amount.FromMinorUnits(350));

            Assert.Equal(PayoutStatus.Paid, retry.Status);
            Assert.True(retry.IsReplay);
            Assert.Equal((ulong)committed.Entry!.Sequence, retry.Statement!.PayoutId);
            Assert.Equal(size, retry.Statement.LogIndex);
            Assert.Equal(size + 1, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
            Assert.Equal(LogEntryKind.ProvidersPaidOut, (await world.Scheme.GetLogEntryAsync(size))!.Kind);

            // And again: the log is not appended twice, the statement is the same bytes.
            var again = await world.Scheme.PayoutAsync(key, provider, Amount.FromMinorUnits(350));
            Assert.Equal(retry.Statement.Encode(), again.Statement!.Encode());
            Assert.Equal(size + 1, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
            Assert.Equal(250, await world.Scheme.GetProviderBalanceAsync(provider));
            await AssertBooksAgreeAsync(world, world.Scheme);
        }
    }

    [Fact]
    public async Task ALedgerCheckpointWaitsForAPayoutWhoseLogEntryIsMissing()
    {
        var (world, _) = await CreateAsync();
        using (world)
        {
            var provider = await PayableAsync(world, 600);
            var key = new IdempotencyKey("po-crash");
            Assert.True((await world.Ledger.PayoutAsync(SchemeContext.LedgerKey("po", "operator", key), provider, Amount.FromMinorUnits(100))).Succeeded);

            Assert.Null(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1")));

            Assert.True((await world.Scheme.PayoutAsync(key, provider, Amount.FromMinorUnits(100))).Succeeded);
            Assert.NotNull(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-2")));
        }
    }

    [Fact]
    public async Task CallerMistakesThrow()
    {
        var (world, op) = await CreateAsync();
        using (world)
        {
            await Assert.ThrowsAsync<ArgumentNullException>("key", () => op.PayoutAsync(null!, world.UnionA.Record.Id, Amount.FromMinorUnits(1)));
            await Assert.ThrowsAsync<ArgumentNullException>("provider", () => op.PayoutAsync(new IdempotencyKey("k"), null!, Amount.FromMinorUnits(1)));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>("amount", () => op.PayoutAsync(new IdempotencyKey("k"), world.UnionA.Record.Id, Amount.Zero));
        }
    }
}
