using Wallet.Protocol.Ledger;
using Wallet.Crypto.Merkle;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.EndToEnd;

public sealed class AccreditedProviderDisposalTests
{
    [Fact]
    public async Task VerifyWithDisposedProviderThrowsAndDisposeTwiceIsHarmless()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        using var provider = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time);
        var request = await provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var prepared = wallet.PreparePayment(request, world.Registry);

        Assert.Equal(PaymentVerification.Accepted, await provider.VerifyPaymentAsync(request, prepared.Spends, world.AllKeysets));
        provider.Dispose();
        provider.Dispose();

        await Assert.ThrowsAsync<ObjectDisposedException>(() => provider.VerifyPaymentAsync(request, prepared.Spends, world.AllKeysets));
    }
}
