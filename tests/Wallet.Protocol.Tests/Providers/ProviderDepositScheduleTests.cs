using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Mandates;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Tests.Providers;

/// <summary>The provider's deposit schedule (docs/PROTOCOL.md 5.5, "Deposit schedule"), on a clock the test moves.</summary>
public sealed class ProviderDepositScheduleTests
{
    private static readonly TimeSpan Step = TimeSpan.FromMinutes(15);

    [Fact]
    public async Task NothingIsSentBeforeEnoughPaymentsWaitAndTheBatchHoldsThemAll()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-s1", [.. Enumerable.Repeat(world.General100, 4)]);
        var policy = new ProviderDepositPolicy { MinPayments = 4, MaxWait = TimeSpan.FromDays(10), MaxJitter = TimeSpan.Zero };

        for (int i = 0; i < 3; i++)
        {
            await world.PayAsync(wallet, world.UnionA, 100);
            world.Time.Advance(TimeSpan.FromHours(1));
            Assert.Null(await world.UnionA.CreateScheduledDepositAsync(Key("d1"), policy));
        }

        await world.PayAsync(wallet, world.UnionA, 100);
        var deposit = await world.UnionA.CreateScheduledDepositAsync(Key("d1"), policy);

        Assert.NotNull(deposit);
        Assert.Equal(4, deposit.Spends.Select(s => s.Request.Id).Distinct().Count());
    }

    [Fact]
    public async Task AFewPaymentsAreSentOnceTheyHaveWaitedTheLongestWait()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-s2", world.General100);
        var policy = new ProviderDepositPolicy { MinPayments = 4, MaxWait = TimeSpan.FromDays(1), MaxJitter = TimeSpan.Zero };
        var (request, _) = await world.PayAsync(wallet, world.UnionA, 100);

        Assert.Null(await world.UnionA.CreateScheduledDepositAsync(Key("d1"), policy));
        world.Time.Advance(TimeSpan.FromDays(1) - TimeSpan.FromTicks(1));
        Assert.Null(await world.UnionA.CreateScheduledDepositAsync(Key("d1"), policy));
        world.Time.Advance(TimeSpan.FromTicks(1));
        var deposit = await world.UnionA.CreateScheduledDepositAsync(Key("d1"), policy);

        Assert.Equal(request.Id, Assert.Single(deposit!.Spends).Request.Id);
    }

    [Fact]
    public async Task AReadyBatchLeavesAfterOneRandomDelayWithinTheLargestDelay()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-s3", [.. Enumerable.Repeat(world.General100, 6)]);
        var policy = new ProviderDepositPolicy { MinPayments = 2, MaxWait = TimeSpan.FromDays(10), MaxJitter = TimeSpan.FromHours(6) };
        var delays = new List<TimeSpan>();
        for (int batch = 1; batch <= 3; batch++)
        {
            await world.PayAsync(wallet, world.UnionA, 100);
            Assert.Null(await world.UnionA.CreateScheduledDepositAsync(Key($"d{batch}"), policy));
            await world.PayAsync(wallet, world.UnionA, 100);

            // Ready now; polled every quarter hour, the batch leaves once, at the delay drawn when it became ready
            // (a delay drawn afresh at every call would almost never let it leave).
            DepositRequest? deposit = null;
            var waited = TimeSpan.Zero;
            for (; waited <= policy.MaxJitter && deposit is null; waited += Step)
            {
                world.Time.Advance(waited == TimeSpan.Zero ? TimeSpan.Zero : Step);
                deposit = await world.UnionA.CreateScheduledDepositAsync(Key($"d{batch}"), policy);
            }

            Assert.NotNull(deposit);
            Assert.Equal(2, deposit.Spends.Length);
            delays.Add(waited - Step);
            await CompleteAsync(world, world.UnionA, deposit);
        }

        Assert.All(delays, d => Assert.InRange(d, TimeSpan.Zero, policy.MaxJitter));

        // A zero draw has probability 2^-31 per batch: a batch sent at the first call means there was no delay.
        Assert.All(delays, d => Assert.True(d > TimeSpan.Zero));
    }

    [Fact]
    public async Task TheDepositInFlightIsReturnedAtOnceWhateverThePolicy()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-s4", world.General100, world.General100);
        await world.PayAsync(wallet, world.UnionA, 100);
        var sent = await world.UnionA.CreateScheduledDepositAsync(Key("d1"), ProviderDepositPolicy.Immediate);
        await world.PayAsync(wallet, world.UnionA, 100);

        var retried = await world.UnionA.CreateScheduledDepositAsync(Key("d2"), ProviderDepositPolicy.Default);

        Assert.NotNull(sent);
        Assert.Equal(new IdempotencyKey("d1"), retried!.IdempotencyKey);
        Assert.Equal(sent.Encode(), retried.Encode());
    }

    [Fact]
    public async Task TheImmediatePolicySendsEachWaitingPaymentAtOnce()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-s5", world.General100, world.General100);
        Assert.Null(await world.UnionA.CreateScheduledDepositAsync(Key("d0"), ProviderDepositPolicy.Immediate));

        for (int i = 1; i <= 2; i++)
        {
            var (request, _) = await world.PayAsync(wallet, world.UnionA, 100);
            var deposit = await world.UnionA.CreateScheduledDepositAsync(Key($"d{i}"), ProviderDepositPolicy.Immediate);
            Assert.Equal(request.Id, Assert.Single(deposit!.Spends).Request.Id);
            await CompleteAsync(world, world.UnionA, deposit);
        }
    }

    [Fact]
    public async Task ACallOverlappingASentBatchDoesNotStartTheNextBatchEarly()
    {
        using var world = await WorldAsync();
        var store = new HeldProviderStore(new InMemoryProviderStore());
        using var provider = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store);
        var wallet = await world.FundedWalletAsync("worker-s6", world.General100, world.General100, world.General100);
        var policy = new ProviderDepositPolicy { MinPayments = 2, MaxWait = TimeSpan.FromDays(10), MaxJitter = TimeSpan.FromHours(6) };
        await world.PayAsync(wallet, provider, 100);
        await world.PayAsync(wallet, provider, 100);
        Assert.Null(await provider.CreateScheduledDepositAsync(Key("d0"), policy));
        world.Time.Advance(policy.MaxJitter);

        // The first call reads two waiting payments and is held there; a second call overlaps it.
        var release = store.HoldNextList();
        var first = provider.CreateScheduledDepositAsync(Key("d1"), policy);
        var second = provider.CreateScheduledDepositAsync(Key("d2"), policy);
        release.SetResult();
        var sent = await first;
        var overlapped = await second;

        Assert.NotNull(sent);
        Assert.Equal(sent.Encode(), overlapped!.Encode());

        // The next batch starts from nothing: one new payment and the largest delay are not enough.
        await CompleteAsync(world, provider, sent);
        await world.PayAsync(wallet, provider, 100);
        Assert.Null(await provider.CreateScheduledDepositAsync(Key("d3"), policy));
        world.Time.Advance(policy.MaxJitter);
        Assert.Null(await provider.CreateScheduledDepositAsync(Key("d3"), policy));
    }

    [Fact]
    public void ThePolicyKeepsItsBoundsAndDocumentedDefaults()
    {
        Assert.Equal(16, ProviderDepositPolicy.Default.MinPayments);
        Assert.Equal(TimeSpan.FromDays(2), ProviderDepositPolicy.Default.MaxWait);
        Assert.Equal(TimeSpan.FromHours(12), ProviderDepositPolicy.Default.MaxJitter);
        Assert.Equal(new ProviderDepositPolicy { MinPayments = 1, MaxWait = TimeSpan.Zero, MaxJitter = TimeSpan.Zero }, ProviderDepositPolicy.Immediate);
        Assert.Equal(1024, new ProviderDepositPolicy { MinPayments = 1024 }.MinPayments);

        Assert.Throws<ArgumentOutOfRangeException>(() => new ProviderDepositPolicy { MinPayments = 0 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProviderDepositPolicy { MinPayments = 1025 });
        Assert.Throws<ArgumentOutOfRangeException>(() => new ProviderDepositPolicy { MaxWait = TimeSpan.FromTicks(-1) });
        Assert.Throws<ArgumentOutOfRangeException>(() => ProviderDepositPolicy.Default with { MaxJitter = TimeSpan.FromTicks(-1) });
    }

    [Fact]
    public async Task ScheduledDepositChecksItsArguments()
    {
        using var world = await WorldAsync();

        await Assert.ThrowsAsync<ArgumentNullException>("key", () => world.UnionA.CreateScheduledDepositAsync(null!, ProviderDepositPolicy.Default));
        await Assert.ThrowsAsync<ArgumentNullException>("policy", () => world.UnionA.CreateScheduledDepositAsync(Key("d"), null!));
        world.UnionA.Dispose();
        await Assert.ThrowsAsync<ObjectDisposedException>(() => world.UnionA.CreateScheduledDepositAsync(Key("d"), ProviderDepositPolicy.Default));
    }

    private static IdempotencyKey Key(string value) => new(value);

    private static async Task CompleteAsync(ProtocolWorld world, AccreditedProvider provider, DepositRequest deposit)
    {
        var result = await world.Client.DepositAsync(deposit);
        Assert.Equal(DepositStatus.Accepted, result.Status);
        Assert.NotEmpty(await provider.CompleteDepositAsync(deposit, result));
    }

    private static Task<ProtocolWorld> WorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());

    /// <summary>A provider store whose next listing of verified payments, once read, waits for the test to release it.</summary>
    private sealed class HeldProviderStore(IProviderStore inner) : IProviderStore
    {
        private TaskCompletionSource? _hold;

        public TaskCompletionSource HoldNextList() => _hold = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);

        public async ValueTask<IReadOnlyList<VerifiedPayment>> ListVerifiedAsync(int limit, CancellationToken cancellationToken)
        {
            var listed = await inner.ListVerifiedAsync(limit, cancellationToken);
            if (Interlocked.Exchange(ref _hold, null) is { } hold)
            {
                await hold.Task;
            }

            return listed;
        }

        public ValueTask AddOpenRequestAsync(PaymentRequest request, CancellationToken cancellationToken) => inner.AddOpenRequestAsync(request, cancellationToken);

        public ValueTask<bool> MarkVerifiedAsync(PaymentRequest request, IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken) => inner.MarkVerifiedAsync(request, spends, cancellationToken);

        public ValueTask<DepositRequest?> GetInFlightDepositAsync(CancellationToken cancellationToken) => inner.GetInFlightDepositAsync(cancellationToken);

        public ValueTask<DepositRequest> BeginDepositAsync(DepositRequest deposit, CancellationToken cancellationToken) => inner.BeginDepositAsync(deposit, cancellationToken);

        public ValueTask<bool> ClearInFlightDepositAsync(IdempotencyKey key, CancellationToken cancellationToken) => inner.ClearInFlightDepositAsync(key, cancellationToken);

        public ValueTask<IReadOnlyList<ProviderPaymentState>> SettleDepositAsync(IdempotencyKey key, IReadOnlyList<ProviderPaymentState> outcomes, CancellationToken cancellationToken) => inner.SettleDepositAsync(key, outcomes, cancellationToken);

        public ValueTask<ProviderPaymentState> GetPaymentStateAsync(PaymentId payment, CancellationToken cancellationToken) => inner.GetPaymentStateAsync(payment, cancellationToken);

        public ValueTask<SignedNote?> GetCheckpointAsync(CancellationToken cancellationToken) => inner.GetCheckpointAsync(cancellationToken);

        public ValueTask<bool> TryReplaceCheckpointAsync(SignedNote? expected, SignedNote checkpoint, CancellationToken cancellationToken) => inner.TryReplaceCheckpointAsync(expected, checkpoint, cancellationToken);

        public ValueTask AddSplitViewAsync(SplitViewEvidence evidence, CancellationToken cancellationToken) => inner.AddSplitViewAsync(evidence, cancellationToken);

        public ValueTask<IReadOnlyList<SplitViewEvidence>> ListSplitViewsAsync(CancellationToken cancellationToken) => inner.ListSplitViewsAsync(cancellationToken);

        public ValueTask PutPaymentCoinsAsync(PaymentId payment, IReadOnlyList<CoinId> coins, CancellationToken cancellationToken) => inner.PutPaymentCoinsAsync(payment, coins, cancellationToken);

        public ValueTask<IReadOnlyList<CoinId>> GetPaymentCoinsAsync(PaymentId payment, CancellationToken cancellationToken) => inner.GetPaymentCoinsAsync(payment, cancellationToken);

        public ValueTask<bool> AddRefundAsync(Wallet.Protocol.Refunds.ProviderRefund refund, CancellationToken cancellationToken) => inner.AddRefundAsync(refund, cancellationToken);

        public ValueTask<IReadOnlyList<Wallet.Protocol.Refunds.ProviderRefund>> ListRefundsAsync(PaymentId payment, CancellationToken cancellationToken) => inner.ListRefundsAsync(payment, cancellationToken);

        public ValueTask AddMandateAsync(DuesMandate mandate, CancellationToken cancellationToken) => inner.AddMandateAsync(mandate, cancellationToken);

        public ValueTask<DuesMandate?> GetMandateAsync(MandateId mandate, CancellationToken cancellationToken) => inner.GetMandateAsync(mandate, cancellationToken);

        public ValueTask<IReadOnlyList<DuesMandate>> ListMandatesAsync(CancellationToken cancellationToken) => inner.ListMandatesAsync(cancellationToken);

        public ValueTask AddMandateRequestAsync(PaymentRequest request, MandatePeriod period, CancellationToken cancellationToken) => inner.AddMandateRequestAsync(request, period, cancellationToken);

        public ValueTask<IReadOnlyList<uint>> ListPaidPeriodsAsync(MandateId mandate, CancellationToken cancellationToken) => inner.ListPaidPeriodsAsync(mandate, cancellationToken);
    }
}
