using Wallet.Crypto.Notes;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Tests.Witnesses;
using Wallet.Protocol.Witnesses;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Providers;

/// <summary>The behaviour every <see cref="IProviderStore"/> must show; each implementation's test class inherits it.</summary>
public abstract partial class ProviderStoreContract
{
    private static readonly CancellationToken None = CancellationToken.None;

    protected abstract IProviderStore CreateStore();

    [Fact]
    public async Task UnknownPaymentReadsAsUnknownAndNothingIsQueued()
    {
        var store = CreateStore();
        var samples = new MessageSamples(1);
        var payment = samples.Request().Id;

        var state = await store.GetPaymentStateAsync(payment, None);
        Assert.Equal(ProviderPaymentStatus.Unknown, state.Status);
        Assert.Equal(payment, state.Payment);
        Assert.Null(state.Receipt);
        Assert.Null(state.Rejection);
        Assert.Null(await store.GetInFlightDepositAsync(None));
        Assert.Empty(await store.ListVerifiedAsync(10, None));
        Assert.False(await store.MarkVerifiedAsync(samples.Request(), [samples.Spend()], None));
        Assert.False(await store.ClearInFlightDepositAsync(new IdempotencyKey("k"), None));
    }

    [Fact]
    public async Task OpenRequestIsVerifiedExactlyOnceWithItsSpends()
    {
        var store = CreateStore();
        var samples = new MessageSamples(2);
        var request = samples.Request();
        CoinSpend[] spends = [samples.Spend(), samples.Spend()];

        await store.AddOpenRequestAsync(request, None);
        await store.AddOpenRequestAsync(request, None);
        Assert.Equal(ProviderPaymentStatus.Open, (await store.GetPaymentStateAsync(request.Id, None)).Status);

        Assert.True(await store.MarkVerifiedAsync(request, spends, None));
        Assert.False(await store.MarkVerifiedAsync(request, [samples.Spend()], None));
        Assert.Equal(ProviderPaymentStatus.Verified, (await store.GetPaymentStateAsync(request.Id, None)).Status);

        // Adding the request again does not reopen a verified payment.
        await store.AddOpenRequestAsync(request, None);
        Assert.False(await store.MarkVerifiedAsync(request, [samples.Spend()], None));

        var verified = Assert.Single(await store.ListVerifiedAsync(10, None));
        Assert.Equal(request.Encode(), verified.Request.Encode());
        Assert.Equal(spends.Select(s => s.Encode()), verified.Spends.Select(s => s.Encode()));
    }

    [Fact]
    public async Task VerifiedPaymentsAreListedOldestFirstUpToTheLimit()
    {
        var store = CreateStore();
        var samples = new MessageSamples(3);
        var requests = Enumerable.Range(0, 4).Select(_ => samples.Request()).ToList();
        foreach (var request in requests)
        {
            await store.AddOpenRequestAsync(request, None);
        }

        // Verified in another order than opened: the queue follows verification.
        int[] order = [2, 0, 3, 1];
        foreach (int i in order)
        {
            Assert.True(await store.MarkVerifiedAsync(requests[i], [samples.Spend()], None));
        }

        var listed = await store.ListVerifiedAsync(3, None);
        Assert.Equal(order[..3].Select(i => requests[i].Id), listed.Select(v => v.Request.Id));
        await Assert.ThrowsAsync<ArgumentOutOfRangeException>("limit", async () => await store.ListVerifiedAsync(0, None));
    }

    [Fact]
    public async Task FirstDepositInFlightWinsAndKeepsItsExactBytesUntilCleared()
    {
        var store = CreateStore();
        var samples = new MessageSamples(4);
        var first = samples.Deposit();
        var second = samples.Deposit();

        Assert.Equal(first.Encode(), (await store.BeginDepositAsync(first, None)).Encode());
        Assert.Equal(first.Encode(), (await store.BeginDepositAsync(second, None)).Encode());
        Assert.Equal(first.Encode(), (await store.GetInFlightDepositAsync(None))!.Encode());

        Assert.False(await store.ClearInFlightDepositAsync(second.IdempotencyKey, None));
        Assert.NotNull(await store.GetInFlightDepositAsync(None));
        Assert.True(await store.ClearInFlightDepositAsync(first.IdempotencyKey, None));
        Assert.Null(await store.GetInFlightDepositAsync(None));
        Assert.Equal(second.Encode(), (await store.BeginDepositAsync(second, None)).Encode());
    }

    [Fact]
    public async Task SettlingRecordsEachOutcomeOnceAndEndsTheDepositInFlight()
    {
        var store = CreateStore();
        var samples = new MessageSamples(5);
        var (paid, rejected, doubled, waiting) = (samples.Request(), samples.Request(), samples.Request(), samples.Request());
        foreach (var request in new[] { paid, rejected, doubled, waiting })
        {
            await store.AddOpenRequestAsync(request, None);
            Assert.True(await store.MarkVerifiedAsync(request, [samples.Spend()], None));
        }

        var deposit = await store.BeginDepositAsync(samples.Deposit(), None);
        var receipt = samples.SpendReceipt();
        var proof = samples.Proof();
        ProviderPaymentState[] outcomes =
        [
            ProviderPaymentState.Paid(paid.Id, receipt),
            ProviderPaymentState.Rejected(new DepositPaymentOutcome(rejected.Id, DepositPaymentStatus.Rejected, DepositRejectionReason.OutsideDepositWindow, [])),
            ProviderPaymentState.Rejected(new DepositPaymentOutcome(doubled.Id, DepositPaymentStatus.DoubleSpend, null, [proof])),
            ProviderPaymentState.Paid(samples.Request().Id, samples.SpendReceipt()),
        ];

        var recorded = await store.SettleDepositAsync(deposit.IdempotencyKey, outcomes, None);

        Assert.Equal([paid.Id, rejected.Id, doubled.Id], recorded.Select(r => r.Payment));
        Assert.Null(await store.GetInFlightDepositAsync(None));
        Assert.Equal(waiting.Id, Assert.Single(await store.ListVerifiedAsync(10, None)).Request.Id);

        var paidState = await store.GetPaymentStateAsync(paid.Id, None);
        Assert.Equal(ProviderPaymentStatus.Paid, paidState.Status);
        Assert.Equal(receipt.Encode(), paidState.Receipt!.Encode());
        var rejectedState = await store.GetPaymentStateAsync(rejected.Id, None);
        Assert.Equal(ProviderPaymentStatus.Rejected, rejectedState.Status);
        Assert.Equal(DepositPaymentStatus.Rejected, rejectedState.Rejection!.Status);
        Assert.Equal(DepositRejectionReason.OutsideDepositWindow, rejectedState.Rejection.Reason);
        Assert.Empty(rejectedState.Rejection.DoubleSpendProofs);
        var doubledState = await store.GetPaymentStateAsync(doubled.Id, None);
        Assert.Equal(DepositPaymentStatus.DoubleSpend, doubledState.Rejection!.Status);
        Assert.Null(doubledState.Rejection.Reason);
        Assert.Equal(proof.Encode(), Assert.Single(doubledState.Rejection.DoubleSpendProofs).Encode());
        Assert.Equal(ProviderPaymentStatus.Unknown, (await store.GetPaymentStateAsync(outcomes[3].Payment, None)).Status);

        // A second settlement (a replayed answer, another outcome) changes nothing: the first outcome stands.
        Assert.Empty(await store.SettleDepositAsync(deposit.IdempotencyKey, [ProviderPaymentState.Paid(rejected.Id, samples.SpendReceipt())], None));
        Assert.Equal(ProviderPaymentStatus.Rejected, (await store.GetPaymentStateAsync(rejected.Id, None)).Status);
        await store.AddOpenRequestAsync(paid, None);
        Assert.Equal(ProviderPaymentStatus.Paid, (await store.GetPaymentStateAsync(paid.Id, None)).Status);
    }

    [Fact]
    public async Task SettlingKeepsAnotherDepositInFlight()
    {
        var store = CreateStore();
        var samples = new MessageSamples(6);
        var deposit = await store.BeginDepositAsync(samples.Deposit(), None);

        Assert.Empty(await store.SettleDepositAsync(new IdempotencyKey("another"), [], None));
        Assert.Equal(deposit.Encode(), (await store.GetInFlightDepositAsync(None))!.Encode());
    }

    [Fact]
    public async Task SettlingRefusesAnOutcomeThatIsNeitherPaidNorRejected()
    {
        var store = CreateStore();
        var samples = new MessageSamples(7);
        var request = samples.Request();
        await store.AddOpenRequestAsync(request, None);
        Assert.True(await store.MarkVerifiedAsync(request, [samples.Spend()], None));

        await Assert.ThrowsAsync<ArgumentException>("outcomes", async () => await store.SettleDepositAsync(new IdempotencyKey("k"), [new ProviderPaymentState(request.Id, ProviderPaymentStatus.Verified, null, null)], None));
        await Assert.ThrowsAsync<ArgumentException>("outcomes", async () => await store.SettleDepositAsync(new IdempotencyKey("k"), [new ProviderPaymentState(request.Id, ProviderPaymentStatus.Paid, null, null)], None));
        Assert.Equal(ProviderPaymentStatus.Verified, (await store.GetPaymentStateAsync(request.Id, None)).Status);
    }

    [Fact]
    public async Task CancelledCallsThrowAndChangeNothing()
    {
        var store = CreateStore();
        var samples = new MessageSamples(8);
        var request = samples.Request();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.AddOpenRequestAsync(request, cancelled.Token));
        await Assert.ThrowsAnyAsync<OperationCanceledException>(async () => await store.BeginDepositAsync(samples.Deposit(), cancelled.Token));
        Assert.Equal(ProviderPaymentStatus.Unknown, (await store.GetPaymentStateAsync(request.Id, None)).Status);
        Assert.Null(await store.GetInFlightDepositAsync(None));
    }

    [Fact]
    public async Task TheTrustedCheckpointIsReplacedOnlyFromTheStateTheCallerRead()
    {
        var store = CreateStore();
        var log = new WitnessFixtures.TestLog();
        var (first, second, third) = (await log.CheckpointAsync(2), await log.CheckpointAsync(3), await log.CheckpointAsync(4));

        Assert.Null(await store.GetCheckpointAsync(None));
        Assert.True(await store.TryReplaceCheckpointAsync(null, first, None));
        Assert.False(await store.TryReplaceCheckpointAsync(null, second, None));
        Assert.Equal(first, await store.GetCheckpointAsync(None));

        Assert.True(await store.TryReplaceCheckpointAsync(first, second, None));
        Assert.False(await store.TryReplaceCheckpointAsync(first, third, None));

        // The comparison is on the whole note: the same text with a cosignature more is another state.
        var cosigned = second.AddSignature(WitnessFixtures.WitnessSigner(0).Sign(Checkpoint.Parse(second.Text)));
        Assert.False(await store.TryReplaceCheckpointAsync(cosigned, third, None));
        Assert.True(await store.TryReplaceCheckpointAsync(second, cosigned, None));
        Assert.Equal(cosigned, await store.GetCheckpointAsync(None));
    }

    [Fact]
    public async Task SplitViewEvidenceIsKeptOnceOldestFirst()
    {
        var store = CreateStore();
        var (same, proven) = await SplitViewsAsync();

        Assert.Empty(await store.ListSplitViewsAsync(None));
        await store.AddSplitViewAsync(same, None);
        await store.AddSplitViewAsync(proven, None);
        await store.AddSplitViewAsync(same, None);

        Assert.Equal([same, proven], await store.ListSplitViewsAsync(None));
        Assert.All(await store.ListSplitViewsAsync(None), e => Assert.True(e.Verify(WitnessFixtures.LogSigner.Verifier)));
    }

    /// <summary>Two pieces of evidence against one log forked after 3 leaves: the same size with two roots, and a failed proof from 4 to 6.</summary>
    protected static async Task<(SplitViewEvidence Same, SplitViewEvidence Proven)> SplitViewsAsync()
    {
        var (main, fork) = (new WitnessFixtures.TestLog(), new WitnessFixtures.TestLog(branch: 1, sharedPrefix: 3));
        Assert.True(SplitViewEvidence.TryCreate(await main.CheckpointAsync(5), await fork.CheckpointAsync(5), WitnessFixtures.LogSigner.Verifier, null, out var same));
        Assert.True(SplitViewEvidence.TryCreate(await main.CheckpointAsync(4), await fork.CheckpointAsync(6), WitnessFixtures.LogSigner.Verifier, await fork.ProofAsync(4, 6), out var proven));
        return (same, proven);
    }
}
