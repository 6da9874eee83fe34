using Wallet.Crypto.Seeds;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>
/// Refunds to an anonymous payer end to end (docs/PROTOCOL.md 5.17): the provider signs a refund of a credited payment,
/// the wallet that paid claims it with the coin keys and gets fresh coins; every refusal moves nothing. Each store
/// backend and transport runs the whole suite.
/// </summary>
public abstract class RefundContract
{
    protected abstract Task<ProtocolWorld> CreateWorldAsync();

    [Fact]
    public async Task WholeRefundGivesThePayerFreshCoinsOutOfTheProvidersPayable()
    {
        using var world = await CreateWorldAsync();
        var (wallet, request) = await PaidAsync(world, world.UnionA, 200);

        var issued = await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(200));
        Assert.Equal(RefundIssuanceStatus.Issued, issued.Status);
        var refund = issued.Refund!;
        Assert.Equal(2, refund.Coins.Length);
        Assert.Equal(refund.Id, Assert.Single(await world.UnionA.ListRefundsAsync(request.Id)).Id);

        var claim = Ready(wallet.PrepareRefundClaim(refund));
        Assert.Single(wallet.PendingRefundClaims);
        var result = await world.Client.ClaimRefundAsync(claim);
        Assert.Equal(RefundClaimStatus.Accepted, result.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteRefundClaim(claim, result.Response!));

        Assert.Empty(wallet.PendingRefundClaims);
        Assert.Equal(300, wallet.Balance.MinorUnits);
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(500, (await world.Ledger.GetKeysetAsync(world.General100.Id)).Issued.MinorUnits);

        // The refunded value is spendable again.
        await world.PayAsync(wallet, world.UnionB, 300);

        var entries = await LogAsync(world);
        var logged = Assert.Single(entries, e => e.Kind == LogEntryKind.RefundIssued).Refund!;
        Assert.Equal(world.UnionA.Record.Id, logged.Provider);
        Assert.Equal(200, logged.Amount.MinorUnits);
        Assert.Equal((world.General100.Id, 2), Assert.Single(logged.Counts));
        await AssertAuditCleanAsync(world);
    }

    [Fact]
    public async Task PartRefundsOfOnePaymentNameDisjointCoinsAndNeverTheSameCoinTwice()
    {
        using var world = await CreateWorldAsync();
        var (wallet, request) = await PaidAsync(world, world.UnionA, 200);
        var coins = await PaidCoinsAsync(world, request);

        var first = (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(100), [coins[0]])).Refund!;
        await ClaimAsync(world, wallet, first);
        Assert.Equal(RefundIssuanceStatus.AlreadyRefunded, (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(100), [coins[0]])).Status);
        Assert.Equal(RefundIssuanceStatus.AmountTooLarge, (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(200))).Status);

        // A refund the provider signs again over the same coin (outside its own bookkeeping) is refused by the scheme.
        var again = ProviderRefund.Sign(RefundId.NewId(), world.UnionA.Record.Id, request.Id, [coins[0]], Amount.FromMinorUnits(100), world.Time.GetUtcNow(), world.ProviderKey(world.UnionA));
        var twice = await world.Client.ClaimRefundAsync(Ready(wallet.PrepareRefundClaim(again)));
        Assert.Equal(RefundClaimStatus.AlreadyRefunded, twice.Status);
        Assert.Equal(0, twice.Index);

        var second = (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(100))).Refund!;
        Assert.Equal(coins[1], Assert.Single(second.Coins));
        await ClaimAsync(world, wallet, second);
        Assert.Equal(300, wallet.Balance.MinorUnits);
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(2, (await LogAsync(world)).Count(e => e.Kind == LogEntryKind.RefundIssued));
        await AssertAuditCleanAsync(world);
    }

    [Fact]
    public async Task RetriedClaimReplaysTheSameResponseAndMovesNothingTwice()
    {
        using var world = await CreateWorldAsync();
        var (wallet, request) = await PaidAsync(world, world.UnionA, 200);
        var refund = (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(100))).Refund!;
        var claim = Ready(wallet.PrepareRefundClaim(refund));

        var first = await world.Client.ClaimRefundAsync(claim);
        int log = (await LogAsync(world)).Count;
        var head = await world.Ledger.GetHeadAsync();
        var again = await world.Client.ClaimRefundAsync(RefundClaimRequest.Decode(claim.Encode()));

        Assert.Equal(RefundClaimStatus.Accepted, again.Status);
        Assert.Equal(first.Response!.Encode(), again.Response!.Encode());
        Assert.Equal(log, (await LogAsync(world)).Count);
        Assert.Equal(head.Sequence, (await world.Ledger.GetHeadAsync()).Sequence);
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteRefundClaim(claim, again.Response));
        Assert.Equal(SwapCompletion.UnknownRequest, wallet.CompleteRefundClaim(claim, again.Response));
    }

    [Fact]
    public async Task SecondClaimOfAnHonouredRefundUnderAnotherKeyIsRefused()
    {
        using var world = await CreateWorldAsync();
        var (wallet, request) = await PaidAsync(world, world.UnionA, 200);
        var refund = (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(200))).Refund!;
        var claim = Ready(wallet.PrepareRefundClaim(refund));
        Assert.Equal(RefundClaimPreparationStatus.AlreadyPending, wallet.PrepareRefundClaim(refund).Status);
        await CompleteAsync(world, wallet, claim);

        var other = Ready(wallet.PrepareRefundClaim(refund));
        var result = await world.Client.ClaimRefundAsync(other);
        Assert.Equal(RefundClaimStatus.AlreadyRefunded, result.Status);
        Assert.Null(result.Response);
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.True(wallet.AbandonSwap(other.IdempotencyKey));
    }

    [Fact]
    public async Task ConcurrentClaimsOfOneRefundPayItOnce()
    {
        using var world = await CreateWorldAsync();
        var (wallet, request) = await PaidAsync(world, world.UnionA, 200);
        var refund = (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(200))).Refund!;
        var a = Ready(wallet.PrepareRefundClaim(refund));
        wallet.AbandonSwap(a.IdempotencyKey);
        var b = Ready(wallet.PrepareRefundClaim(refund));

        var results = await Task.WhenAll(Enumerable.Range(0, 6).Select(i => Task.Run(() => world.Client.ClaimRefundAsync(i % 2 == 0 ? a : b))));

        var accepted = results.Where(r => r.Status == RefundClaimStatus.Accepted).ToList();
        Assert.Equal(3, accepted.Count);
        Assert.Single(accepted.Select(r => Convert.ToHexString(r.Response!.Encode())).Distinct());
        Assert.All(results.Where(r => r.Status != RefundClaimStatus.Accepted), r => Assert.Equal(RefundClaimStatus.AlreadyRefunded, r.Status));
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Single(await LogAsync(world), e => e.Kind == LogEntryKind.RefundIssued);
        await AssertAuditCleanAsync(world);
    }

    [Fact]
    public async Task RefundOfAnotherProvidersPaymentOrWithAForgedSignatureIsRefused()
    {
        using var world = await CreateWorldAsync();
        var (wallet, request) = await PaidAsync(world, world.UnionA, 200);
        var coins = await PaidCoinsAsync(world, request);
        var now = world.Time.GetUtcNow();

        // UnionB signs a refund of UnionA's coins: the deposits say UnionA was paid.
        var byOther = ProviderRefund.Sign(RefundId.NewId(), world.UnionB.Record.Id, request.Id, coins, Amount.FromMinorUnits(200), now, world.ProviderKey(world.UnionB));
        Assert.Equal(RefundClaimStatus.WrongProvider, (await ClaimOnlyAsync(world, wallet, byOther)).Status);

        // UnionA's name, UnionB's key.
        var forged = ProviderRefund.Sign(RefundId.NewId(), world.UnionA.Record.Id, request.Id, coins, Amount.FromMinorUnits(200), now, world.ProviderKey(world.UnionB));
        Assert.Equal(RefundClaimStatus.BadProviderSignature, (await ClaimOnlyAsync(world, wallet, forged, checkWallet: false)).Status);

        // A provider the registry does not know.
        var unknown = ProviderRefund.Sign(RefundId.NewId(), new AccountId("nobody"), request.Id, coins, Amount.FromMinorUnits(200), now, world.ProviderKey(world.UnionA));
        Assert.Equal(RefundClaimStatus.WrongProvider, (await ClaimOnlyAsync(world, wallet, unknown, checkWallet: false)).Status);

        // More than the coins are worth.
        var tooMuch = ProviderRefund.Sign(RefundId.NewId(), world.UnionA.Record.Id, request.Id, coins, Amount.FromMinorUnits(300), now, world.ProviderKey(world.UnionA));
        Assert.Equal(RefundClaimStatus.AmountTooLarge, (await ClaimOnlyAsync(world, wallet, tooMuch, checkWallet: false)).Status);

        // Another payment's id.
        var otherPayment = new PaymentId(new byte[32]);
        var wrongPayment = ProviderRefund.Sign(RefundId.NewId(), world.UnionA.Record.Id, otherPayment, coins, Amount.FromMinorUnits(200), now, world.ProviderKey(world.UnionA));
        Assert.Equal(RefundClaimStatus.NotDeposited, (await ClaimOnlyAsync(world, wallet, wrongPayment, checkWallet: false)).Status);

        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.DoesNotContain(await LogAsync(world), e => e.Kind == LogEntryKind.RefundIssued);
    }

    [Fact]
    public async Task RefundOfAPaymentNotDepositedYetIsRefusedByProviderAndScheme()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 300);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100);
        var (request, spends) = await world.PayAsync(wallet, world.UnionA, 200);

        Assert.Equal(RefundIssuanceStatus.NotPaid, (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(200))).Status);
        var early = ProviderRefund.Sign(RefundId.NewId(), world.UnionA.Record.Id, request.Id, [.. spends.Select(s => s.Coin.Id)], Amount.FromMinorUnits(200), world.Time.GetUtcNow(), world.ProviderKey(world.UnionA));
        var result = await world.Client.ClaimRefundAsync(Ready(wallet.PrepareRefundClaim(early)));
        Assert.Equal(RefundClaimStatus.NotDeposited, result.Status);
        Assert.Equal(0, result.Index);
    }

    [Fact]
    public async Task ClaimWithAnAlteredCoinSignatureOrWrongOutputsIsRefused()
    {
        using var world = await CreateWorldAsync();
        var (wallet, request) = await PaidAsync(world, world.UnionA, 200);
        var refund = (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(200))).Refund!;
        var claim = Ready(wallet.PrepareRefundClaim(refund));

        byte[] bytes = claim.Encode();
        bytes[^1] ^= 1;
        var tampered = await world.Client.ClaimRefundAsync(RefundClaimRequest.Decode(bytes));
        Assert.Equal(RefundClaimStatus.BadCoinSignature, tampered.Status);
        Assert.Equal(1, tampered.Index);

        var fewer = SignClaim(wallet, refund, [claim.Outputs[0]], "fewer");
        Assert.Equal(RefundClaimStatus.ValueMismatch, (await world.Client.ClaimRefundAsync(fewer)).Status);

        var training = new WithdrawalItem(world.Training100.Id, claim.Outputs[1].BlindedMessage);
        var refused = await world.Client.ClaimRefundAsync(SignClaim(wallet, refund, [claim.Outputs[0], training], "fund"));
        Assert.Equal(RefundClaimStatus.BadOutputs, refused.Status);
        Assert.Equal(1, refused.Index);

        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));

        // The genuine claim still goes through.
        await CompleteAsync(world, wallet, claim);
        Assert.Equal(300, wallet.Balance.MinorUnits);
    }

    [Fact]
    public async Task ShortPayableRefusesWithNothingMovedAndTheSameClaimSucceedsLater()
    {
        using var world = await CreateWorldAsync();
        var (wallet, request) = await PaidAsync(world, world.UnionA, 200);
        var refund = (await world.UnionA.IssueRefundAsync(request.Id, Amount.FromMinorUnits(200))).Refund!;
        var claim = Ready(wallet.PrepareRefundClaim(refund));

        // The payable leaves by another road (what a payout does), so it no longer covers the refund.
        var drained = await world.Ledger.RefundAsync(new IdempotencyKey("drain"), world.UnionA.Record.Id, [new KeysetAmount(world.General100.Id, Amount.FromMinorUnits(100))]);
        Assert.Equal(LedgerStatus.Applied, drained.Status);
        var head = await world.Ledger.GetHeadAsync();

        var refused = await world.Client.ClaimRefundAsync(claim);
        Assert.Equal(RefundClaimStatus.PayableTooLow, refused.Status);
        Assert.Equal(head.Sequence, (await world.Ledger.GetHeadAsync()).Sequence);
        Assert.Equal(100, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));

        // More deposits come in; the same claim is paid.
        var other = await world.FundedWalletAsync("worker-2", world.General100);
        await world.PayAsync(other, world.UnionA, 100);
        Assert.Equal(DepositStatus.Accepted, (await world.DepositAsync(world.UnionA, "d2")).Result.Status);
        await CompleteAsync(world, wallet, claim);
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    // A wallet of 300 in three coins that paid the provider 200 with two of them, deposited and settled.
    private static async Task<(WorkerWallet Wallet, PaymentRequest Request)> PaidAsync(ProtocolWorld world, AccreditedProvider provider, long amount)
    {
        var (wallet, seed, request, withdrawn) = await world.PaidAndSettledAsync(provider, amount);
        HeldTable.Add(wallet, new HeldCoins(seed, withdrawn.ToDictionary(c => c.Coin.Id)));
        return (wallet, request);
    }

    // The seed and the coins each wallet of this suite withdrew: what a misbehaving client would sign claims with.
    private static readonly System.Runtime.CompilerServices.ConditionalWeakTable<WorkerWallet, HeldCoins> HeldTable = [];

    private sealed record HeldCoins(WalletSeed Seed, Dictionary<CoinId, WalletCoin> Coins);

    // Signs a claim of any refund with the seed's coin keys, bypassing the wallet's own checks.
    private static RefundClaimRequest SignClaim(WorkerWallet wallet, ProviderRefund refund, IReadOnlyList<WithdrawalItem> outputs, string key)
    {
        Assert.True(HeldTable.TryGetValue(wallet, out var held));
        var secrets = refund.Coins.Select(id => held.Seed.DeriveCoin(held.Coins[id].Coin.Keyset.Bytes, held.Coins[id].Counter)).ToList();
        try
        {
            return RefundClaimRequest.Sign(new IdempotencyKey(key), refund, outputs, [.. secrets.Select(s => s.SigningKey)]);
        }
        finally
        {
            foreach (var secret in secrets)
            {
                secret.Dispose();
            }
        }
    }

    private static async Task<IReadOnlyList<CoinId>> PaidCoinsAsync(ProtocolWorld world, PaymentRequest request)
    {
        var refund = (await world.UnionA.ListRefundsAsync(request.Id)).SelectMany(r => r.Coins);
        var coins = new List<CoinId>();
        for (ulong i = 0; ; i++)
        {
            var entry = await world.Scheme.GetLogEntryAsync(i);
            if (entry is null)
            {
                break;
            }

            if (entry.Kind == LogEntryKind.CoinsSpent)
            {
                coins.AddRange(entry.SpentCoins!.Coins.Select(c => c.Id));
            }
        }

        return [.. coins.Except(refund).Order()];
    }

    private static RefundClaimRequest Ready(RefundClaimPreparation preparation)
    {
        Assert.Equal(RefundClaimPreparationStatus.Ready, preparation.Status);
        return preparation.Request!;
    }

    private static async Task ClaimAsync(ProtocolWorld world, WorkerWallet wallet, ProviderRefund refund) =>
        await CompleteAsync(world, wallet, Ready(wallet.PrepareRefundClaim(refund)));

    private static async Task CompleteAsync(ProtocolWorld world, WorkerWallet wallet, RefundClaimRequest claim)
    {
        var result = await world.Client.ClaimRefundAsync(claim);
        Assert.Equal(RefundClaimStatus.Accepted, result.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteRefundClaim(claim, result.Response!));
    }

    // Claims a refund the wallet would not claim itself (it checks the provider), with outputs of a withdrawal it prepared.
    private static async Task<RefundClaimResult> ClaimOnlyAsync(ProtocolWorld world, WorkerWallet wallet, ProviderRefund refund, bool checkWallet = true)
    {
        if (checkWallet)
        {
            Assert.Equal(RefundClaimPreparationStatus.NotOurPayment, wallet.PrepareRefundClaim(refund).Status);
        }

        string key = Convert.ToHexString(refund.Id.Bytes[..8]);
        var outputs = wallet.PrepareWithdrawal(new IdempotencyKey($"outputs-{key}"), [world.General100.Id, world.General100.Id]).Items;
        return await world.Client.ClaimRefundAsync(SignClaim(wallet, refund, outputs, $"claim-{key}"));
    }

    private static async Task<List<LogEntry>> LogAsync(ProtocolWorld world)
    {
        var head = await world.Client.GetTreeHeadAsync();
        var entries = new List<LogEntry>();
        for (ulong i = 0; i < head.TreeSize; i++)
        {
            entries.Add((await world.Client.GetLogEntryAsync(i))!);
        }

        return entries;
    }

    private static async Task AssertAuditCleanAsync(ProtocolWorld world)
    {
        Assert.NotNull(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey($"cp-{Guid.NewGuid():N}")));
        var head = await world.Scheme.GetTreeHeadAsync();
        var report = new LogAuditor(world.Scheme.PublicKey, world.AccreditationKey.PublicKey).Audit(await LogAsync(world), [head]);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }
}
