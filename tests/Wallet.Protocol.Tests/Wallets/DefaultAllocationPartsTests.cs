using Wallet.Protocol.Deposits;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>Client-side default allocation in parts the size of ordinary payments, each at its own moment (docs/PROTOCOL.md 5.8).</summary>
public sealed class DefaultAllocationPartsTests
{
    private static readonly TimeSpan Week = TimeSpan.FromDays(7);

    [Fact]
    public async Task ExpiringCoinsArePaidInOrdinarySizedPartsAtSpreadOutMoments()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1500);
        await world.WithdrawAsync(wallet, "w1", [world.General500, world.General500, .. Enumerable.Repeat(world.General100, 5)]);
        world.Time.Advance(TimeSpan.FromDays(55));
        var now = world.Time.GetUtcNow();
        var latest = now + (world.General100.SpendUntil - now) * 0.75;

        var plan = wallet.PlanDefaultAllocation(Week, table, world.Registry, "retail", "south", Amount.FromMinorUnits(300));

        // First fit decreasing: each 500 alone (a coin is never split), the 100s in parts of at most 300.
        Assert.Equal(DefaultAllocationPlanStatus.Ready, plan.Status);
        Assert.Equal(1500, plan.Amount.MinorUnits);
        Assert.Equal([200, 300, 500, 500], plan.Parts.Select(p => p.Amount.MinorUnits).Order());
        Assert.All(plan.Parts, p => Assert.Equal(p.Amount, Amount.Sum(p.Coins.Select(c => c.Value))));
        Assert.All(plan.Parts, p => Assert.Equal(world.UnionA.Record.Id, p.Provider));
        Assert.Equal(plan.Coins.Select(c => c.Coin.Id).Order(), plan.Parts.SelectMany(p => p.Coins).Select(c => c.Coin.Id).Order());
        Assert.All(plan.Parts, p => Assert.InRange(p.NotBefore, now, latest));
        Assert.Equal(plan.Parts.Select(p => p.NotBefore).Order(), plan.Parts.Select(p => p.NotBefore));
        Assert.True(plan.Parts.Select(p => p.NotBefore).Distinct().Count() > 1, "The moments are drawn independently.");

        // Each part is an ordinary payment in its own sitting.
        int n = 0;
        foreach (var part in plan.Parts)
        {
            world.Time.Advance(part.NotBefore - world.Time.GetUtcNow());
            var request = await world.UnionA.CreatePaymentRequestAsync(part.Amount, "dues", TimeSpan.FromHours(1));
            var prepared = wallet.PrepareDefaultAllocationPayment(part, request, world.Registry);
            Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
            Assert.Equal(part.Coins.Count, prepared.Spends.Count);
            Assert.Equal(PaymentVerification.Accepted, await world.UnionA.VerifyPaymentAsync(request, prepared.Spends, world.AllKeysets));
            var (deposit, result) = await world.DepositAsync(world.UnionA, $"d{++n}");
            Assert.Equal(DepositStatus.Accepted, result.Status);
            Assert.Equal(part.Amount, result.Receipt!.Total);
            Assert.NotEmpty(await world.UnionA.CompleteDepositAsync(deposit, result));
        }

        Assert.Equal(Amount.Zero, wallet.Balance);
        Assert.Equal(1500, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task WithoutALargestPartEachCoinIsAPaymentOfItsOwn()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100, world.General100, world.General100);
        world.Time.Advance(TimeSpan.FromDays(55));

        var plan = wallet.PlanDefaultAllocation(Week, table, world.Registry, "retail", "south");

        Assert.Equal(4, plan.Parts.Count);
        Assert.All(plan.Parts, p => Assert.Equal(p.Amount, Assert.Single(p.Coins).Value));
        Assert.Equal(800, plan.Amount.MinorUnits);
    }

    [Fact]
    public async Task TheMomentsSpreadOverTheTimeLeftRatherThanBunchingAtTheStart()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1200);
        await world.WithdrawAsync(wallet, "w1", [.. Enumerable.Repeat(world.General100, 12)]);
        world.Time.Advance(TimeSpan.FromDays(55));
        var now = world.Time.GetUtcNow();
        var spread = (world.General100.SpendUntil - now) * 0.75;

        var moments = wallet.PlanDefaultAllocation(Week, table, world.Registry, "retail", "south").Parts.Select(p => p.NotBefore - now).ToList();

        // Twelve independent uniform draws: all in the first or all in the last quarter has probability 2 x 4^-12.
        Assert.Equal(12, moments.Count);
        Assert.All(moments, m => Assert.InRange(m, TimeSpan.Zero, spread));
        Assert.True(moments.Max() > spread / 4, "Some part is suggested past the first quarter of the spread.");
        Assert.True(moments.Min() < spread * 3 / 4, "Some part is suggested before the last quarter of the spread.");
    }

    [Fact]
    public async Task APartHoldsOneFundAsAnOrdinaryPaymentDoes()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"), ("care", "*", "trainer"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.Training100);
        world.Time.Advance(TimeSpan.FromDays(55));

        var plan = wallet.PlanDefaultAllocation(Week, table, world.Registry, "care", "north", Amount.FromMinorUnits(1000));

        Assert.Equal(world.Trainer.Record.Id, plan.Provider);
        Assert.Equal(2, plan.Parts.Count);
        Assert.All(plan.Parts, p => Assert.Single(p.Coins));
    }

    [Fact]
    public async Task APartIsPaidOnlyForItsProviderAndAmountAndSpendsOnlyItsCoins()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100);
        world.Time.Advance(TimeSpan.FromDays(55));
        var plan = wallet.PlanDefaultAllocation(Week, table, world.Registry, "retail", "south", Amount.FromMinorUnits(200));
        var part = plan.Parts.Single(p => p.Amount.MinorUnits == 200);

        var wrongAmount = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(300), "dues", TimeSpan.FromHours(1));
        var otherProvider = await world.Trainer.CreatePaymentRequestAsync(part.Amount, "dues", TimeSpan.FromHours(1));
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, wallet.PrepareDefaultAllocationPayment(part, wrongAmount, world.Registry).Status);
        Assert.Equal(PaymentPreparationStatus.NoExactCoins, wallet.PrepareDefaultAllocationPayment(part, otherProvider, world.Registry).Status);

        var request = await world.UnionA.CreatePaymentRequestAsync(part.Amount, "dues", TimeSpan.FromHours(1));
        var prepared = wallet.PrepareDefaultAllocationPayment(part, request, world.Registry);

        Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
        Assert.Equal(part.Coins.Select(c => c.Coin.Id).Order(), prepared.Spends.Select(s => s.Coin.Id).Order());
        Assert.Equal(100, wallet.Balance.MinorUnits);
        Assert.Throws<ArgumentNullException>("part", () => wallet.PrepareDefaultAllocationPayment((DefaultAllocationPart)null!, request, world.Registry));
    }

    [Fact]
    public async Task CoinsHeldByAPendingSwapAreNotPlanned()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var table = await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500, world.General100);
        Assert.Equal(SwapPreparationStatus.Ready, wallet.PrepareChange(new IdempotencyKey("s1"), Amount.FromMinorUnits(300), [world.General100.Id]).Status);
        world.Time.Advance(TimeSpan.FromDays(55));

        var plan = wallet.PlanDefaultAllocation(Week, table, world.Registry, "retail", "south", Amount.FromMinorUnits(300));

        Assert.Equal(100, plan.Amount.MinorUnits);
        Assert.Equal(world.General100.Id, Assert.Single(Assert.Single(plan.Parts).Coins).Coin.Keyset);
    }
}
