using Wallet.Crypto.Signing;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>Client-side default allocation: the wallet plans it from the signed table and pays it as an ordinary payment.</summary>
public sealed class DefaultAllocationPlanTests
{
    [Fact]
    public async Task CoinsAboutToExpireArePaidToTheResolvedProviderThroughTheNormalFlow()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"), ("care", "*", "trainer"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.Training100);
        world.Time.Advance(TimeSpan.FromDays(55));

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, "retail", "south");

        Assert.Equal(DefaultAllocationPlanStatus.Ready, plan.Status);
        Assert.Equal(world.UnionA.Record.Id, plan.Provider);
        Assert.Equal(200, plan.Amount.MinorUnits);
        Assert.Equal(100, plan.LeftOver.MinorUnits);
        Assert.All(plan.Coins, c => Assert.Equal(world.General100.Id, c.Coin.Keyset));

        var request = await world.UnionA.CreatePaymentRequestAsync(plan.Amount, "default allocation", TimeSpan.FromHours(1));
        var prepared = wallet.PrepareDefaultAllocationPayment(plan, request, world.Registry);
        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
        Assert.Equal(PaymentVerification.Accepted, await world.UnionA.VerifyPaymentAsync(request, prepared.Spends, world.AllKeysets));
        var (_, result) = await world.DepositAsync(world.UnionA, "d1");
        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.Equal(100, wallet.Balance.MinorUnits);
    }

    [Fact]
    public async Task TheWorkersRowDecidesAndAProviderAcceptingEveryFundTakesAll()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"), ("care", "*", "trainer"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.Training100);
        world.Time.Advance(TimeSpan.FromDays(55));

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, "care", "north");

        Assert.Equal(world.Trainer.Record.Id, plan.Provider);
        Assert.Equal(200, plan.Amount.MinorUnits);
        Assert.Equal(Amount.Zero, plan.LeftOver);
    }

    [Fact]
    public async Task NothingIsPlannedWhileNoCoinExpiresWithinTheHorizon()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100);

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, "retail", "south");

        Assert.Equal(DefaultAllocationPlanStatus.NothingExpiring, plan.Status);
        Assert.Empty(plan.Coins);
    }

    [Fact]
    public async Task AProviderWhoseAccreditationLapsedCannotTake()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-b"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        world.Time.Advance(TimeSpan.FromDays(55));

        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, "retail", "south");

        Assert.Equal(DefaultAllocationPlanStatus.ProviderCannotTake, plan.Status);
        Assert.Equal(100, plan.LeftOver.MinorUnits);
    }

    [Fact]
    public async Task AForgedTableIsRefused()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        using var stranger = Ed25519SigningKey.Generate();
        var forged = DefaultAllocationTable.Sign(1, ProtocolWorld.Start, [new("*", "*", world.Trainer.Record.Id)], stranger);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);

        Assert.Equal(DefaultAllocationPlanStatus.InvalidTable, wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), forged, world.Registry, "a", "b").Status);
    }

    [Fact]
    public async Task ARequestThatDoesNotMatchThePlanSpendsNothing()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General500);
        world.Time.Advance(TimeSpan.FromDays(55));
        var plan = wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), table, world.Registry, "a", "b");

        var tooSmall = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "default allocation", TimeSpan.FromHours(1));
        var otherProvider = await world.Trainer.CreatePaymentRequestAsync(plan.Amount, "default allocation", TimeSpan.FromHours(1));

        Assert.Equal(PaymentPreparationStatus.NoExactCoins, wallet.PrepareDefaultAllocationPayment(plan, tooSmall, world.Registry).Status);
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, wallet.PrepareDefaultAllocationPayment(plan, otherProvider, world.Registry).Status);
        Assert.Equal(600, wallet.Balance.MinorUnits);
    }
}
