namespace Wallet.Storage.Testing;

// Refund claims (docs/PROTOCOL.md 5.17): the decision first, the response once, every index first-write-wins.
public abstract partial class SchemeStoreContract
{
    /// <summary>Refund claim is decided once and answered once.</summary>
    [Fact]
    public async Task RefundClaimIsDecidedOnceAndAnsweredOnce()
    {
        var store = CreateStore();
        var samples = new RefundSamples(7);
        var refund = samples.Refund();
        var key = new IdempotencyKey("rf-1");
        byte[] hash = [.. Enumerable.Repeat((byte)7, 32)];

        Assert.Null(await store.GetRefundClaimAsync(key, None));
        Assert.Null(await store.FindRefundClaimAsync(refund.Id, None));
        foreach (var coin in refund.Coins)
        {
            Assert.Null(await store.FindCoinRefundAsync(coin, None));
        }

        await store.PutRefundClaimAsync(key, new StoredRefundClaim(hash, refund.Id, refund.Coins, null), None);
        // A second decision under the key, or one taking the same refund and coins under another key, changes nothing.
        await store.PutRefundClaimAsync(key, new StoredRefundClaim(new byte[32], refund.Id, [refund.Coins[0]], null), None);
        await store.PutRefundClaimAsync(new IdempotencyKey("rf-2"), new StoredRefundClaim(new byte[32], refund.Id, refund.Coins, null), None);

        var decided = await store.GetRefundClaimAsync(key, None);
        Assert.NotNull(decided);
        Assert.Equal(hash, decided.RequestHash.ToArray());
        Assert.Equal(refund.Id, decided.Refund);
        Assert.Equal(refund.Coins, decided.Coins);
        Assert.Null(decided.Response);
        Assert.Equal(key, await store.FindRefundClaimAsync(refund.Id, None));
        foreach (var coin in refund.Coins)
        {
            Assert.Equal(key, await store.FindCoinRefundAsync(coin, None));
        }

        var response = samples.Response();
        await store.PutRefundResponseAsync(key, response, None);
        await store.PutRefundResponseAsync(key, samples.Response(), None);
        await store.PutRefundResponseAsync(new IdempotencyKey("unknown"), samples.Response(), None);

        var answered = await store.GetRefundClaimAsync(key, None);
        Assert.Equal(response.Encode(), answered!.Response!.Encode());
        Assert.Null(await store.GetRefundClaimAsync(new IdempotencyKey("unknown"), None));
        var other = await store.GetRefundClaimAsync(new IdempotencyKey("rf-2"), None);
        Assert.NotNull(other);
        Assert.Null(other.Response);
    }
}
