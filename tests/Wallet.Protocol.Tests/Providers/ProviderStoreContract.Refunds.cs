using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Providers;

// The coins of credited payments and the refunds signed for them (docs/PROTOCOL.md 5.17).
public abstract partial class ProviderStoreContract
{
    [Fact]
    public async Task PaymentCoinsAreKeptOnceInAscendingOrder()
    {
        var store = CreateStore();
        var samples = new MessageSamples(11);
        var payment = samples.Request().Id;
        var coins = Enumerable.Range(0, 3).Select(_ => samples.CoinId()).ToList();

        Assert.Empty(await store.GetPaymentCoinsAsync(payment, None));
        await store.PutPaymentCoinsAsync(payment, coins, None);
        await store.PutPaymentCoinsAsync(payment, [samples.CoinId()], None);

        Assert.Equal(coins.Order(), await store.GetPaymentCoinsAsync(payment, None));
        Assert.Empty(await store.GetPaymentCoinsAsync(samples.Request().Id, None));
    }

    [Fact]
    public async Task RefundsAreListedPerPaymentInOrderAndStoredOncePerId()
    {
        var store = CreateStore();
        var samples = new RefundSamples(12);
        var first = samples.Refund();
        var second = samples.Refund();

        Assert.Empty(await store.ListRefundsAsync(first.Payment, None));
        Assert.True(await store.AddRefundAsync(first, None));
        Assert.False(await store.AddRefundAsync(first, None));
        Assert.True(await store.AddRefundAsync(second, None));

        Assert.Equal([first.Encode()], (await store.ListRefundsAsync(first.Payment, None)).Select(r => r.Encode()));
        Assert.Equal([second.Encode()], (await store.ListRefundsAsync(second.Payment, None)).Select(r => r.Encode()));
    }
}
