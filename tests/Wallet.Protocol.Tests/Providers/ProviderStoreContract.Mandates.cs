using Wallet.Protocol.Deposits;
using Wallet.Protocol.Mandates;
using Wallet.Protocol.Providers;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Providers;

/// <summary>Dues mandates in the provider's store (docs/PROTOCOL.md 5.19): kept once, and paid periods read from settled payments only.</summary>
public abstract partial class ProviderStoreContract
{
    [Fact]
    public async Task MandatesAreKeptOnceAndListedById()
    {
        var store = CreateStore();
        var samples = new MessageSamples(41);
        var (a, b) = (samples.Mandate(), samples.Mandate());
        Assert.Null(await store.GetMandateAsync(a.Id, CancellationToken.None));
        Assert.Empty(await store.ListMandatesAsync(CancellationToken.None));

        await store.AddMandateAsync(a, CancellationToken.None);
        await store.AddMandateAsync(b, CancellationToken.None);
        await store.AddMandateAsync(a, CancellationToken.None);

        Assert.Equal(a.Encode(), (await store.GetMandateAsync(a.Id, CancellationToken.None))!.Encode());
        Assert.Equal(new[] { a, b }.OrderBy(m => m.Id).Select(m => m.Encode()), (await store.ListMandatesAsync(CancellationToken.None)).Select(m => m.Encode()));
    }

    [Fact]
    public async Task APeriodIsPaidOnlyOnceItsBoundPaymentSettlesAsPaid()
    {
        var store = CreateStore();
        var samples = new MessageSamples(42);
        var mandate = samples.Mandate();
        await store.AddMandateAsync(mandate, CancellationToken.None);
        var (p0, p1, p2, p2Again, unbound) = (samples.Request(), samples.Request(), samples.Request(), samples.Request(), samples.Request());
        await store.AddMandateRequestAsync(p0, new MandatePeriod(mandate.Id, 0), CancellationToken.None);
        await store.AddMandateRequestAsync(p1, new MandatePeriod(mandate.Id, 1), CancellationToken.None);
        await store.AddMandateRequestAsync(p2, new MandatePeriod(mandate.Id, 2), CancellationToken.None);
        await store.AddMandateRequestAsync(p2Again, new MandatePeriod(mandate.Id, 2), CancellationToken.None);
        await store.AddOpenRequestAsync(unbound, CancellationToken.None);

        // A bound request is an open request like any other.
        Assert.Equal(ProviderPaymentStatus.Open, (await store.GetPaymentStateAsync(p0.Id, CancellationToken.None)).Status);
        Assert.Empty(await store.ListPaidPeriodsAsync(mandate.Id, CancellationToken.None));

        foreach (var request in new[] { p0, p1, p2, p2Again, unbound })
        {
            Assert.True(await store.MarkVerifiedAsync(request, [samples.Spend()], CancellationToken.None));
        }

        // Verified is not paid; of the settled, only the paid count, each period once.
        Assert.Empty(await store.ListPaidPeriodsAsync(mandate.Id, CancellationToken.None));
        var deposit = await store.BeginDepositAsync(samples.Deposit(), CancellationToken.None);
        await store.SettleDepositAsync(
            deposit.IdempotencyKey,
            [
                ProviderPaymentState.Paid(p0.Id, samples.SpendReceipt()),
                ProviderPaymentState.Rejected(new DepositPaymentOutcome(p1.Id, DepositPaymentStatus.DoubleSpend, null, [samples.Proof()])),
                ProviderPaymentState.Paid(p2.Id, samples.SpendReceipt()),
                ProviderPaymentState.Paid(p2Again.Id, samples.SpendReceipt()),
                ProviderPaymentState.Paid(unbound.Id, samples.SpendReceipt()),
            ],
            CancellationToken.None);

        Assert.Equal([0u, 2u], await store.ListPaidPeriodsAsync(mandate.Id, CancellationToken.None));
        Assert.Empty(await store.ListPaidPeriodsAsync(samples.Mandate().Id, CancellationToken.None));

        // Binding a settled request again changes nothing: it is not reopened.
        await store.AddMandateRequestAsync(p1, new MandatePeriod(mandate.Id, 1), CancellationToken.None);
        Assert.Equal(ProviderPaymentStatus.Rejected, (await store.GetPaymentStateAsync(p1.Id, CancellationToken.None)).Status);
        Assert.Equal([0u, 2u], await store.ListPaidPeriodsAsync(mandate.Id, CancellationToken.None));
    }
}
