using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>The scheme's payroll batch in process (docs/PROTOCOL.md 5.21): per-line checks, results in line order.</summary>
public sealed class BenefitSchemePayrollTests
{
    private static readonly AccountId Employer = new("employer-1");

    [Fact]
    public async Task RefusedLinesKeepTheirPlaceAndTheOthersApply()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("payroll-1", 0);
        var stranger = new AccountId("not-registered");

        var results = await world.Scheme.ContributeBatchAsync(
        [
            Line("a", stranger, 10),
            Line("b", wallet.Account, 0),
            Line("c", wallet.Account, 10),
            Line("d", stranger, 10),
            Line("c", wallet.Account, 11),
            Line("e", wallet.Account, 5),
        ]);

        Assert.Equal(
            [PayrollLineStatus.UnknownAccount, PayrollLineStatus.ZeroAmount, PayrollLineStatus.Applied, PayrollLineStatus.UnknownAccount, PayrollLineStatus.LineKeyReused, PayrollLineStatus.Applied],
            results.Select(r => r.Status));
        Assert.Equal([false, false, true, false, false, true], results.Select(r => r.Succeeded));
        Assert.Equal(15, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        var c = await world.Ledger.FindEntryAsync(new IdempotencyKey("pay:employer-1:c"));
        var e = await world.Ledger.FindEntryAsync(new IdempotencyKey("pay:employer-1:e"));
        Assert.Equal(c!.Sequence + 1, e!.Sequence);
        Assert.Equal((await world.Ledger.GetHeadAsync()).Sequence, e.Sequence);
    }

    [Fact]
    public async Task LineForAnAccountNotYetRegisteredAppliesOnceTheAccountExists()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var late = new AccountId("late-joiner");
        PayrollLine[] batch = [Line("a", late, 10)];

        var before = await world.Ledger.GetHeadAsync();
        Assert.Equal(PayrollLineStatus.UnknownAccount, (await world.Scheme.ContributeBatchAsync(batch))[0].Status);
        Assert.Equal(before, await world.Ledger.GetHeadAsync());

        using var key = Ed25519SigningKey.Generate();
        await world.Scheme.RegisterAccountAsync(late, key.PublicKey);
        var applied = (await world.Scheme.ContributeBatchAsync(batch))[0];
        var again = (await world.Scheme.ContributeBatchAsync(batch))[0];

        Assert.Equal((PayrollLineStatus.Applied, false), (applied.Status, applied.IsReplay));
        Assert.Equal((PayrollLineStatus.Applied, true), (again.Status, again.IsReplay));
        Assert.Equal(10, await world.Scheme.GetWorkerBalanceAsync(late));
    }

    [Fact]
    public async Task OverflowingLineIsReportedAsSuch()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("payroll-1", long.MaxValue - 1);

        var results = await world.Scheme.ContributeBatchAsync([Line("a", wallet.Account, 2)]);

        Assert.Equal(PayrollLineStatus.AmountOverflow, results[0].Status);
    }

    [Fact]
    public async Task BatchWithoutLinesIsACallerMistake()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());

        await Assert.ThrowsAsync<ArgumentNullException>("lines", () => world.Scheme.ContributeBatchAsync(null!));
        await Assert.ThrowsAsync<ArgumentException>("lines", () => world.Scheme.ContributeBatchAsync([]));
        await Assert.ThrowsAsync<ArgumentNullException>("lines", () => world.Scheme.ContributeBatchAsync([null!]));
    }

    private static PayrollLine Line(string key, AccountId worker, long amount) =>
        new(Employer, new IdempotencyKey(key), ContributionSource.Employer, worker, Amount.FromMinorUnits(amount));
}
