using Wallet.Crypto.Merkle;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Deposits;

/// <summary>
/// A deposit judges each payment on its own: a bad payment is refused with its reason and never blocks the honest
/// ones, and the books, the log and the receipt hold exactly the accepted payments. Every store backend runs it.
/// </summary>
public abstract class DepositOutcomeContract
{
    /// <summary>Fresh stores of the backend under test.</summary>
    protected abstract Task<(ILedgerStore Ledger, ISchemeStore Scheme, IMerkleLogStore Log)> CreateStoresAsync();

    // A deposit answers its payments in PaymentId order whatever order the batch listed them in.
    private static IEnumerable<(PaymentId, DepositPaymentStatus)> ById(params (PaymentId, DepositPaymentStatus)[] outcomes) => outcomes.OrderBy(o => o.Item1);

    private static IEnumerable<(PaymentId, DepositPaymentStatus, DepositRejectionReason?)> ById(params (PaymentId, DepositPaymentStatus, DepositRejectionReason?)[] outcomes) => outcomes.OrderBy(o => o.Item1);

    [Fact]
    public async Task BatchWithOneDoublySpentPaymentCreditsExactlyTheTwoHonestOnes()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var honest = await world.FundedWalletAsync("worker-1", world.General100, world.General100);
        var (thief, seed) = await world.NewWalletAsync("worker-2", 500);
        await world.WithdrawAsync(thief, "w2", world.General100);
        var stolen = thief.Coins.ToList();
        var (_, paidToB) = await world.PayAsync(thief, world.UnionB, 100);
        Assert.Equal(DepositStatus.Accepted, (await world.Client.DepositAsync(new DepositRequest(world.UnionB.Record.Id, new IdempotencyKey("b1"), paidToB))).Status);

        var (first, firstSpends) = await world.PayAsync(honest, world.UnionA, 100);
        var (second, secondSpends) = await world.PayAsync(honest, world.UnionA, 100);
        var doubled = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var request = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), [.. firstSpends, .. ProtocolWorld.ForceSpends(seed, stolen, doubled), .. secondSpends]);

        var result = await world.Client.DepositAsync(request);

        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.Equal(
            ById((first.Id, DepositPaymentStatus.Accepted), (doubled.Id, DepositPaymentStatus.DoubleSpend), (second.Id, DepositPaymentStatus.Accepted)),
            result.Payments.Select(p => (p.Payment, p.Status)));
        var proof = Assert.Single(result.Payments.Single(p => p.Payment == doubled.Id).DoubleSpendProofs);
        Assert.True(proof.Verify());
        Assert.Equal(stolen[0].Coin.Id, proof.Coin);
        Assert.Equal(proof.Encode(), Assert.Single(result.DoubleSpendProofs).Encode());
        Assert.Empty(result.Rejections);

        var receipt = result.Receipt!;
        Assert.True(receipt.Verify(request, world.Scheme.PublicKey));
        Assert.Equal(new[] { first.Id, second.Id }.Order(), receipt.Payments);
        Assert.Equal((2, 200L), (receipt.CoinCount, receipt.Total.MinorUnits));
        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionB.Record.Id));

        // The log lists the credited coins only, in coin order (not batch order).
        var logged = (await world.Client.GetLogEntryAsync(receipt.LogIndex))!.SpentCoins!.Coins.Select(c => c.Id).ToList();
        Assert.Equal([.. firstSpends.Concat(secondSpends).Select(s => s.Coin.Id).Order()], logged);
        Assert.Equal(receipt.LeafHash, (await world.Client.GetLogEntryAsync(receipt.LogIndex))!.LeafHash());
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task PaymentWithABadSpendSignatureIsRejectedAlone()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var wallet = await world.FundedWalletAsync("worker-1", world.General100, world.General100);
        var (good, goodSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        var (bad, badSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        byte[] signature = badSpends[0].SpendSignature.ToArray();
        signature[0] ^= 1;
        var forged = new CoinSpend(badSpends[0].Coin, bad, signature);
        var request = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), [forged, .. goodSpends]);

        var result = await world.Client.DepositAsync(request);

        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.Equal(new DepositPaymentOutcome(bad.Id, DepositPaymentStatus.Rejected, DepositRejectionReason.BadSpendSignature, []), result.Payments.Single(p => p.Payment == bad.Id) with { DoubleSpendProofs = [] });
        Assert.Equal(DepositPaymentStatus.Accepted, result.Payments.Single(p => p.Payment == good.Id).Status);
        Assert.Equal((0, DepositRejectionReason.BadSpendSignature), (Assert.Single(result.Rejections).Index, result.Rejections[0].Reason));
        Assert.Equal([good.Id], result.Receipt!.Payments.ToArray());
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal([false], await world.Scheme.AreSpentAsync([forged.Coin.Id]));
    }

    [Fact]
    public async Task PaymentWhoseCoinsDoNotSumToItsAmountIsRejectedAlone()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        var coins = wallet.Coins.ToList();
        var short200 = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(200), "dues", TimeSpan.FromHours(1));
        var exact100 = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "fee", TimeSpan.FromHours(1));
        var request = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), [.. ProtocolWorld.ForceSpends(seed, [coins[0]], short200), .. ProtocolWorld.ForceSpends(seed, [coins[1]], exact100)]);

        var result = await world.Client.DepositAsync(request);

        Assert.Equal(
            ById((short200.Id, DepositPaymentStatus.Rejected, DepositRejectionReason.AmountMismatch), (exact100.Id, DepositPaymentStatus.Accepted, null)),
            result.Payments.Select(p => (p.Payment, p.Status, p.Reason)));
        Assert.Equal([exact100.Id], result.Receipt!.Payments.ToArray());
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task PaymentAlreadyDepositedUnderAnotherKeyIsNotCreditedAgain()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var wallet = await world.FundedWalletAsync("worker-1", world.General100, world.General100);
        var (first, firstSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        var (second, secondSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        Assert.Equal(DepositStatus.Accepted, (await world.Client.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), firstSpends))).Status);

        var mixed = await world.Client.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a2"), [.. firstSpends, .. secondSpends]));
        var only = await world.Client.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a3"), firstSpends));

        Assert.Equal(DepositStatus.Accepted, mixed.Status);
        Assert.Equal(ById((first.Id, DepositPaymentStatus.AlreadyDeposited), (second.Id, DepositPaymentStatus.Accepted)), mixed.Payments.Select(p => (p.Payment, p.Status)));
        Assert.Equal([second.Id], mixed.Receipt!.Payments.ToArray());
        Assert.Equal(DepositStatus.AlreadyDeposited, only.Status);
        Assert.Null(only.Receipt);
        Assert.Equal(first.Id, Assert.Single(only.Payments).Payment);
        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task CoinInTwoPaymentsOfOneBatchRejectsThePaymentLaterInCanonicalOrder()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        var coin = wallet.Coins.Single();
        var earlier = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var later = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "fee", TimeSpan.FromHours(1));
        var request = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), [.. ProtocolWorld.ForceSpends(seed, [coin], earlier), .. ProtocolWorld.ForceSpends(seed, [coin], later)]);

        var result = await world.Client.DepositAsync(request);

        // "Earlier" is canonical (PaymentId order), not the order the batch listed the payments in.
        var (kept, dropped) = earlier.Id.CompareTo(later.Id) < 0 ? (earlier, later) : (later, earlier);
        Assert.Equal(
            ById((kept.Id, DepositPaymentStatus.Accepted, null), (dropped.Id, DepositPaymentStatus.Rejected, DepositRejectionReason.DuplicateInBatch)),
            result.Payments.Select(p => (p.Payment, p.Status, p.Reason)));
        Assert.Equal((1, 100L), (result.Receipt!.CoinCount, result.Receipt.Total.MinorUnits));
        Assert.True(result.Receipt.Verify(request, world.Scheme.PublicKey));
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task ReplayWithTheSameKeyReturnsIdenticalResultBytesAlsoAfterARestart()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var (request, first) = await MixedBatchAsync(world);

        var again = await world.Client.DepositAsync(DepositRequest.Decode(request.Encode()));
        var restarted = await t.Restart().DepositAsync(DepositRequest.Decode(request.Encode()));

        Assert.Equal(PbEnvelopes.EncodeDepositResult(first), PbEnvelopes.EncodeDepositResult(again));
        Assert.Equal(PbEnvelopes.EncodeDepositResult(first), PbEnvelopes.EncodeDepositResult(restarted));
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task RetryAfterTheLedgerCommittedCreditsOnceEvenAfterTheDepositWindowClosed()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var wallet = await world.FundedWalletAsync("worker-1", world.General100, world.General100);
        var (bad, badSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        var (good, goodSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        var request = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), [new CoinSpend(badSpends[0].Coin, bad, new byte[64]), .. goodSpends]);
        long logSize = (long)(await world.Client.GetTreeHeadAsync()).TreeSize;

        // The crash point "after the credit": the ledger committed; nothing else was stored.
        t.Faults.NextFault = StoreFault.AfterCommit;
        await Assert.ThrowsAsync<LedgerStoreException>(() => world.Client.DepositAsync(request));
        Assert.True(t.Faults.Fired);
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));

        // Restarted after the keyset's deposit window closed: what the ledger took is still what the answer says.
        world.Time.SetUtcNow(world.General100.DepositUntil.AddDays(1));
        var scheme = t.Restart();
        var retried = await scheme.DepositAsync(DepositRequest.Decode(request.Encode()));
        var replayed = await scheme.DepositAsync(DepositRequest.Decode(request.Encode()));

        Assert.Equal(DepositStatus.Accepted, retried.Status);
        Assert.Equal(ById((bad.Id, DepositPaymentStatus.Rejected), (good.Id, DepositPaymentStatus.Accepted)), retried.Payments.Select(p => (p.Payment, p.Status)));
        Assert.Equal([good.Id], retried.Receipt!.Payments.ToArray());
        Assert.True(retried.Receipt.Verify(request, world.Scheme.PublicKey));
        Assert.Equal(PbEnvelopes.EncodeDepositResult(retried), PbEnvelopes.EncodeDepositResult(replayed));
        Assert.Equal(100, await scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(logSize + 1, (long)(await scheme.GetTreeHeadAsync()).TreeSize);
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task PaymentRefusedBeforeACrashIsNotCreditedByTheRetryEvenWhenItWouldPassNow()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        var coins = wallet.Coins.ToList();
        var now = world.Time.GetUtcNow();
        var early = PaymentRequest.Sign(world.UnionA.Record.Id, Amount.FromMinorUnits(100), "dues", new byte[32], now.AddDays(1), now.AddDays(1).AddHours(1), world.ProviderKey(world.UnionA));
        var onTime = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "fee", TimeSpan.FromHours(1));
        var request = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), [.. ProtocolWorld.ForceSpends(seed, [coins[0]], early), .. ProtocolWorld.ForceSpends(seed, [coins[1]], onTime)]);
        t.Faults.NextFault = StoreFault.AfterCommit;
        await Assert.ThrowsAsync<LedgerStoreException>(() => world.Client.DepositAsync(request));

        // The payment day has come: judged afresh the early payment would pass, but the committed credit holds only the other.
        world.Time.Advance(TimeSpan.FromDays(1));
        var retried = await t.Restart().DepositAsync(request);

        Assert.Equal(
            ById((early.Id, DepositPaymentStatus.Rejected, DepositRejectionReason.ProviderNotAccredited), (onTime.Id, DepositPaymentStatus.Accepted, null)),
            retried.Payments.Select(p => (p.Payment, p.Status, p.Reason)));
        Assert.Equal([onTime.Id], retried.Receipt!.Payments.ToArray());
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));

        // Under a new key the early payment is judged afresh and credited.
        var later = await world.Client.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a2"), request.Spends));
        Assert.Equal(ById((early.Id, DepositPaymentStatus.Accepted), (onTime.Id, DepositPaymentStatus.AlreadyDeposited)), later.Payments.Select(p => (p.Payment, p.Status)));
        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task SameKeyWithAnotherBatchAfterACommittedCreditIsIdempotencyKeyReused()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var wallet = await world.FundedWalletAsync("worker-1", world.General100, world.General100);
        var (_, firstSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        var (_, secondSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        t.Faults.NextFault = StoreFault.AfterCommit;
        await Assert.ThrowsAsync<LedgerStoreException>(() => world.Client.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), firstSpends)));

        var other = await world.Client.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), secondSpends));

        Assert.Equal(DepositStatus.IdempotencyKeyReused, other.Status);
        Assert.Empty(other.Payments);
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task SameKeyWithAPaymentOfOneCreditedCoinAndOneNewCoinAfterACommittedCreditIsIdempotencyKeyReused()
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100);
        var coins = wallet.Coins.ToList();
        var first = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(200), "fee", TimeSpan.FromHours(1));
        t.Faults.NextFault = StoreFault.AfterCommit;
        await Assert.ThrowsAsync<LedgerStoreException>(() => world.Client.DepositAsync(
            new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), ProtocolWorld.ForceSpends(seed, [coins[0], coins[1]], first))));

        // One coin of the committed credit and one it never held, in one payment, under the same key.
        var second = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(200), "fee", TimeSpan.FromHours(1));
        var other = await world.Client.DepositAsync(
            new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), ProtocolWorld.ForceSpends(seed, [coins[0], coins[2]], second)));

        Assert.Equal(DepositStatus.IdempotencyKeyReused, other.Status);
        Assert.Empty(other.Payments);
        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Null(await world.Ledger.FindSpentAsync(coins[2].Coin.Id));
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task LedgerRefusalAfterThePaymentWasJudgedGoodRejectsItWithTheLedgersReasonAndMovesNothing(bool expiredMeanwhile)
    {
        using var t = await TestWorld.CreateAsync(this);
        var world = t.World;
        var wallet = await world.FundedWalletAsync("worker-1", world.General100);
        var (payment, spends) = await world.PayAsync(wallet, world.UnionA, 100);
        var coin = new SpentCoin(spends[0].Coin.Id, world.General100.Id, world.General100.Denomination);

        // Between the checks and the credit, another writer expires the keyset or spends the coin in the ledger itself.
        t.Faults.BeforeNextWrite = async store =>
        {
            var other = new SchemeLedger(store, world.Time);
            var done = expiredMeanwhile
                ? await other.ExpireAsync(new IdempotencyKey("elsewhere-expiry"), world.General100.Id)
                : await other.DepositAsync(new IdempotencyKey("elsewhere-deposit"), world.UnionB.Record.Id, [coin]);
            Assert.Equal(LedgerStatus.Applied, done.Status);
        };
        var head = await world.Ledger.GetHeadAsync();

        var result = await world.Client.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), spends));

        var outcome = Assert.Single(result.Payments);
        Assert.Equal((payment.Id, DepositPaymentStatus.Rejected), (outcome.Payment, outcome.Status));
        Assert.Equal(expiredMeanwhile ? DepositRejectionReason.OutsideDepositWindow : DepositRejectionReason.AlreadySpent, outcome.Reason);
        Assert.Null(result.Receipt);
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(head.Sequence + 1, (await world.Ledger.GetHeadAsync()).Sequence);
    }

    // One rejected payment (bad spend signature) before one accepted payment of 100.
    private static async Task<(DepositRequest Request, DepositResult Result)> MixedBatchAsync(ProtocolWorld world)
    {
        var wallet = await world.FundedWalletAsync("worker-1", world.General100, world.General100);
        var (bad, badSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        var (_, goodSpends) = await world.PayAsync(wallet, world.UnionA, 100);
        var request = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("a1"), [new CoinSpend(badSpends[0].Coin, bad, new byte[64]), .. goodSpends]);
        var result = await world.Client.DepositAsync(request);
        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.Equal(2, result.Payments.Count);
        return (request, result);
    }

    private sealed class TestWorld : IDisposable
    {
        private TestWorld(ProtocolWorld world, FaultInjectingLedgerStore faults, ISchemeStore scheme, IMerkleLogStore log) =>
            (World, Faults, Scheme, Log) = (world, faults, scheme, log);

        public ProtocolWorld World { get; }

        public FaultInjectingLedgerStore Faults { get; }

        private ISchemeStore Scheme { get; }

        private IMerkleLogStore Log { get; }

        public static async Task<TestWorld> CreateAsync(DepositOutcomeContract contract)
        {
            var (ledger, scheme, log) = await contract.CreateStoresAsync();
            var faults = new FaultInjectingLedgerStore(ledger);
            return new TestWorld(await ProtocolWorld.CreateAsync(faults, scheme, log), faults, scheme, log);
        }

        // A new scheme process over the same stores: nothing carried over in memory.
        public BenefitScheme Restart() =>
            new(World.SchemeKey, World.AccreditationKey.PublicKey, new SchemeLedger(Faults, World.Time), Scheme, Log, World.Time);

        public void Dispose() => World.Dispose();
    }
}
