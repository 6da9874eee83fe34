using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Wallets.State;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>
/// The blindings a wallet holds from preparing a request to completing it (WalletState.Blindings): one per output
/// slot, wiped when used, when the request is dropped and when the wallet is disposed, and never needed for
/// correctness, since completing without them re-derives the same blinding from the seed.
/// </summary>
public sealed class HeldBlindingTests
{
    [Fact]
    public async Task PreparingHoldsOneBlindingPerSlotAndCompletingUsesAndWipesThem()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000, only: world.General100);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General100.Id, world.General100.Id]);
        var held = Held(wallet);
        Assert.Equal(3, held.Count);
        Assert.Equal(request.Items.Select(i => i.BlindedMessage), held.Select(h => h.State.BlindedMessage));

        var result = await world.Client.WithdrawAsync(request);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, result.Response!));
        Assert.Empty(Held(wallet));
        Assert.All(held, h => Assert.Throws<ObjectDisposedException>(() => h.State.ExportPreparedMessage()));

        // The coins finalized with the held blindings are the seed's coins: their ids are the held ones, and each verifies.
        Assert.Equal(held.Select(h => h.Coin).Order(), wallet.Coins.Select(c => c.Coin.Id).Order());
        Assert.All(wallet.Coins, c => Assert.True(c.Coin.VerifyIssuer(world.General100)));
    }

    [Fact]
    public async Task ABadSignatureWipesTheHeldBlindingsAndTheRetryCompletesFromTheSeed()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000, only: world.General100);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General100.Id]);
        var response = (await world.Client.WithdrawAsync(request)).Response!;

        // The receipt still verifies, but the two signatures are in each other's place.
        var swapped = new WithdrawalResponse(response.Receipt, [response.BlindSignatures[1], response.BlindSignatures[0]]);
        Assert.Equal(WithdrawalCompletion.BadSignature, wallet.CompleteWithdrawal(request, swapped));
        Assert.Empty(Held(wallet));
        Assert.Empty(wallet.Coins);
        Assert.Single(wallet.PendingWithdrawals);

        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, response));
        Assert.Equal(2, wallet.Coins.Count);
        Assert.All(wallet.Coins, c => Assert.True(c.Coin.VerifyIssuer(world.General100)));
    }

    [Fact]
    public async Task AnAbandonedRequestAndADisposedWalletWipeTheirBlindings()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000, only: world.General100);
        wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]);
        wallet.PrepareWithdrawal(new IdempotencyKey("w2"), [world.General100.Id, world.General100.Id]);
        var all = Held(wallet);
        Assert.Equal(3, all.Count);

        Assert.Equal(WithdrawalAbandonment.Abandoned, wallet.AbandonWithdrawal(new IdempotencyKey("w1"), WithdrawalStatus.InsufficientFunds));
        Assert.Equal(2, Held(wallet).Count);
        Assert.Throws<ObjectDisposedException>(() => all[0].State.ExportPreparedMessage());

        wallet.Dispose();
        Assert.Empty(Held(wallet));
        Assert.All(all, h => Assert.Throws<ObjectDisposedException>(() => h.State.ExportPreparedMessage()));
    }

    [Fact]
    public async Task BeyondTheCapNewBlindingsAreWipedAtOnceAndCompletionReDerivesThem()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _, _) = await WalletFileTests.NewWalletAsync(world, "worker-1", 1000, only: world.General100);
        var first = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]);
        var template = Assert.Single(Held(wallet));

        // Fill the cap with copies of the first slot's blinding under slots nobody prepared.
        var state = wallet.State;
        lock (state.Lock)
        {
            for (ulong i = 1000; state.Blindings.Count < WalletState.MaxHeldBlindings; i++)
            {
                state.HoldBlinding(new CoinSlot(world.General100.Id, i), template with { });
            }
        }

        var second = wallet.PrepareWithdrawal(new IdempotencyKey("w2"), [world.General100.Id]);
        Assert.Equal(WalletState.MaxHeldBlindings, Held(wallet).Count);
        Assert.DoesNotContain(Held(wallet), h => h.State.BlindedMessage.Equals(second.Items[0].BlindedMessage));

        var issued = await world.Client.WithdrawAsync(second);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(second, issued.Response!));
        Assert.True(Assert.Single(wallet.Coins).Coin.VerifyIssuer(world.General100));
        Assert.Single(wallet.PendingWithdrawals, p => p.IdempotencyKey == first.IdempotencyKey);
    }

    private static List<HeldBlinding> Held(WorkerWallet wallet)
    {
        lock (wallet.State.Lock)
        {
            return [.. wallet.State.Blindings.OrderBy(b => b.Key.Counter).Select(b => b.Value)];
        }
    }
}
