using System.Reflection;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>
/// Swaps, refund claims and each withdrawal reversal commit in one store transaction (docs/PROTOCOL.md 5.10, 5.17 and
/// 5.3): when the last write of the operation fails, the ledger entry, the log leaf and every record written before it
/// are rolled back with it, and the retry applies the operation once. Before, a swap's or claim's ledger entry
/// committed on its own before the outputs were signed, and a reversal's before its log entry, and such a failure left
/// it behind.
/// </summary>
public sealed class OneTransactionPerOperationTests
{
    [Fact]
    public async Task ASwapWhoseAnswerCannotBeStoredLeavesNoLedgerEntryNoLogLeafAndNoSpend()
    {
        var (world, failing) = await CreateAsync();
        using var _ = world;
        var (wallet, _) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var request = wallet.PrepareChange(new IdempotencyKey("swap-1"), Amount.FromMinorUnits(100), [world.General100.Id]).Request!;
        var storeKey = SchemeContext.LedgerKey("s", "swap", request.IdempotencyKey);
        ulong logSize = (await world.Scheme.GetTreeHeadAsync()).TreeSize;

        failing.FailNext(nameof(ISwapStore.PutSwapAsync));
        await Assert.ThrowsAsync<InjectedStoreFailureException>(() => world.Scheme.SwapAsync(request));

        Assert.True(failing.Fired);
        Assert.Null(await world.Ledger.FindEntryAsync(storeKey));
        Assert.Equal(0, (await world.Ledger.GetKeysetAsync(world.General500.Id)).SwappedIn.MinorUnits);
        Assert.Equal(logSize, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
        Assert.Null(await world.Database.Scheme.GetSwapSpendAsync(request.Inputs[0].Id, CancellationToken.None));

        // The retry swaps once; a second retry replays it.
        var swapped = await world.Scheme.SwapAsync(request);
        Assert.Equal(SwapStatus.Swapped, swapped.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteSwap(request, swapped.Response!));
        Assert.Equal(swapped.Response!.Encode(), (await world.Scheme.SwapAsync(request)).Response!.Encode());
        Assert.Equal(500, (await world.Ledger.GetKeysetAsync(world.General500.Id)).SwappedIn.MinorUnits);
        Assert.Equal(logSize + 1, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task ARefundClaimWhoseAnswerCannotBeStoredLeavesNoDecisionNoLedgerEntryAndNoLogLeaf()
    {
        var (world, failing) = await CreateAsync();
        using var _ = world;
        var (wallet, claim, refund) = await RefundReadyAsync(world);
        var storeKey = SchemeContext.LedgerKey("rf", "refund", claim.IdempotencyKey);
        ulong logSize = (await world.Scheme.GetTreeHeadAsync()).TreeSize;

        failing.FailNext(nameof(IRefundStore.PutRefundResponseAsync));
        await Assert.ThrowsAsync<InjectedStoreFailureException>(() => world.Scheme.ClaimRefundAsync(claim));

        Assert.True(failing.Fired);
        Assert.Null(await world.Ledger.FindEntryAsync(storeKey));
        Assert.Null(await world.Database.Scheme.GetRefundClaimAsync(storeKey, CancellationToken.None));
        Assert.Null(await world.Database.Scheme.FindRefundClaimAsync(refund.Id, CancellationToken.None));
        Assert.Equal(200, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(logSize, (await world.Scheme.GetTreeHeadAsync()).TreeSize);

        var accepted = await world.Scheme.ClaimRefundAsync(claim);
        Assert.Equal(RefundClaimStatus.Accepted, accepted.Status);
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteRefundClaim(claim, accepted.Response!));
        Assert.Equal(accepted.Response!.Encode(), (await world.Scheme.ClaimRefundAsync(claim)).Response!.Encode());
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(logSize + 1, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
        Assert.Equal(300, wallet.Balance.MinorUnits);
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task AReversalWhoseLogEntryCannotBeStoredLeavesTheDebitInPlaceAndTheRetryReversesItOnce()
    {
        var (world, failing) = await CreateAsync();
        using var _ = world;
        var keyset = world.General100;
        var (wallet, _) = await world.NewWalletAsync("worker-1", 400);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("lost-1"), [keyset.Id, keyset.Id]);
        var ledgerKey = SchemeContext.LedgerKey("w", request.Account.Value, request.IdempotencyKey);
        Assert.Equal(LedgerStatus.Applied, (await world.Ledger.WithdrawAsync(ledgerKey, request.Account, [new KeysetAmount(keyset.Id, keyset.Denomination), new KeysetAmount(keyset.Id, keyset.Denomination)])).Status);
        Assert.True(await world.Scheme.RevokeKeysetAsync(keyset.Id));
        ulong logSize = (await world.Scheme.GetTreeHeadAsync()).TreeSize;

        failing.FailNext(nameof(Wallet.Protocol.Log.ILogRecordStore.PutLogEntryAsync));
        await Assert.ThrowsAsync<InjectedStoreFailureException>(() => world.Scheme.ReverseUnissuedWithdrawalsAsync(keyset.Id));

        Assert.True(failing.Fired);
        Assert.Null(await world.Ledger.FindEntryAsync(SchemeLedger.ReversalKey(ledgerKey)));
        Assert.Equal(200, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));
        Assert.Equal(logSize, (await world.Scheme.GetTreeHeadAsync()).TreeSize);

        var summary = await world.Scheme.ReverseUnissuedWithdrawalsAsync(keyset.Id);
        Assert.Equal((1, 200L), (summary!.Withdrawals, summary.Value.MinorUnits));
        Assert.Equal(400, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));
        Assert.Equal(logSize + 1, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
        Assert.Equal(summary, await world.Scheme.ReverseUnissuedWithdrawalsAsync(keyset.Id));
        Assert.Equal(logSize + 1, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task ARetryOfASwapWhoseTwinCommitsDuringItsChecksGetsTheSameAnswerNotADoubleSpend()
    {
        var (world, failing) = await CreateAsync();
        using var _ = world;
        var (wallet, _) = await world.NewWalletAsync("worker-1", 500);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var request = wallet.PrepareChange(new IdempotencyKey("swap-1"), Amount.FromMinorUnits(100), [world.General100.Id]).Request!;

        // The same swap, sent twice: the first copy commits after the second's replay check found nothing and before it
        // reads the inputs' swap spends, which then hold the first copy's spend of the same swap.
        SwapResult? first = null;
        failing.BeforeNext(nameof(ISwapStore.GetSwapSpendAsync), async () => first = await world.Scheme.SwapAsync(SwapRequest.Decode(request.Encode())));
        var second = await world.Scheme.SwapAsync(request);

        Assert.Equal(SwapStatus.Swapped, first!.Status);
        Assert.Equal(SwapStatus.Swapped, second.Status);
        Assert.Equal(first.Response!.Encode(), second.Response!.Encode());
        Assert.Equal(500, (await world.Ledger.GetKeysetAsync(world.General500.Id)).SwappedIn.MinorUnits);
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task ARetryOfARefundClaimWhoseTwinCommitsDuringItsChecksGetsTheSameAnswerNotAlreadyRefunded()
    {
        var (world, failing) = await CreateAsync();
        using var _ = world;
        var (wallet, claim, refund) = await RefundReadyAsync(world);

        RefundClaimResult? first = null;
        failing.BeforeNext(nameof(IRefundStore.FindRefundClaimAsync), async () => first = await world.Scheme.ClaimRefundAsync(RefundClaimRequest.Decode(claim.Encode())));
        var second = await world.Scheme.ClaimRefundAsync(claim);

        Assert.Equal(RefundClaimStatus.Accepted, first!.Status);
        Assert.Equal(RefundClaimStatus.Accepted, second.Status);
        Assert.Equal(first.Response!.Encode(), second.Response!.Encode());
        Assert.Equal(SwapCompletion.Completed, wallet.CompleteRefundClaim(claim, second.Response!));
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.NotNull(await world.Database.Scheme.FindRefundClaimAsync(refund.Id, CancellationToken.None));
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task AClaimOfARefundAnotherClaimTakesDuringItsChecksIsAlreadyRefundedNotPayableTooLow()
    {
        FailingSchemeStore? ledgerReads = null;
        var (world, _) = await CreateAsync(ledger: inner =>
        {
            var (store, control) = FailingSchemeStore.Over(inner);
            ledgerReads = control;
            return store;
        });
        using var _ = world;
        var (wallet, first, refund) = await RefundReadyAsync(world);
        wallet.AbandonSwap(first.IdempotencyKey);
        var second = wallet.PrepareRefundClaim(refund).Request!;

        // The second claim (another key, the same refund) reads the refund as free in the scheme store; the first one
        // commits just before the second's first ledger read, so the payable the second then reads is spent.
        RefundClaimResult? won = null;
        ledgerReads!.BeforeNext(nameof(ILedgerStore.BeginReadAsync), async () => won = await world.Scheme.ClaimRefundAsync(first));
        var lost = await world.Scheme.ClaimRefundAsync(second);

        Assert.Equal(RefundClaimStatus.Accepted, won!.Status);
        Assert.Equal(RefundClaimStatus.AlreadyRefunded, lost.Status);
        Assert.Null(lost.Response);
        Assert.Equal(0, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    // A wallet of 300 that paid UnionA 200, deposited and settled, and a ready claim of the whole refund.
    private static async Task<(WorkerWallet Wallet, RefundClaimRequest Claim, ProviderRefund Refund)> RefundReadyAsync(DatabaseWorld world)
    {
        var (wallet, _, paid, _) = await world.Inner.PaidAndSettledAsync(world.UnionA, 200);
        var refund = (await world.UnionA.IssueRefundAsync(paid.Id, Amount.FromMinorUnits(200))).Refund!;
        var preparation = wallet.PrepareRefundClaim(refund);
        Assert.Equal(RefundClaimPreparationStatus.Ready, preparation.Status);
        return (wallet, preparation.Request!, refund);
    }

    private static async Task<(DatabaseWorld World, FailingSchemeStore Failing)> CreateAsync() =>
        await CreateAsync(ledger: null);

    private static async Task<(DatabaseWorld World, FailingSchemeStore Failing)> CreateAsync(Func<ILedgerStore, ILedgerStore>? ledger)
    {
        var database = new InMemorySchemeDatabase();
        var (store, failing) = FailingSchemeStore.Over(database.Scheme);
        var world = await ProtocolWorld.CreateAsync(
            ledger?.Invoke(database.Ledger) ?? database.Ledger,
            store,
            database.Log,
            scheme: w => new BenefitScheme(w.SchemeKey, w.AccreditationKey.PublicKey, w.Ledger, store, database.Log, w.Time) { Transactions = database });
        return (new DatabaseWorld(world, database), failing);
    }

    private sealed record DatabaseWorld(ProtocolWorld Inner, InMemorySchemeDatabase Database) : IDisposable
    {
        public SchemeLedger Ledger => Inner.Ledger;

        public BenefitScheme Scheme => Inner.Scheme;

        public Wallet.Protocol.Registry.AccreditationRegistry Registry => Inner.Registry;

        public AccreditedProvider UnionA => Inner.UnionA;

        public KeysetDescriptor General100 => Inner.General100;

        public KeysetDescriptor General500 => Inner.General500;

        public Task<(WorkerWallet Wallet, Crypto.Seeds.WalletSeed Seed)> NewWalletAsync(string account, long contribution) => Inner.NewWalletAsync(account, contribution);

        public Task<Wallet.Protocol.Withdrawals.WithdrawalResponse> WithdrawAsync(WorkerWallet wallet, string key, params KeysetDescriptor[] keysets) => Inner.WithdrawAsync(wallet, key, keysets);

        public Task<(PaymentRequest Request, IReadOnlyList<CoinSpend> Spends)> PayAsync(WorkerWallet wallet, AccreditedProvider provider, long amount) => Inner.PayAsync(wallet, provider, amount);

        public Task<(DepositRequest Request, DepositResult Result)> DepositAsync(AccreditedProvider provider, string key) => Inner.DepositAsync(provider, key);

        public void Dispose() => Inner.Dispose();
    }

    /// <summary>Thrown by <see cref="FailingSchemeStore"/> in place of the write it was told to fail.</summary>
    public sealed class InjectedStoreFailureException() : IOException("injected: the scheme store could not write");

    /// <summary>
    /// A real scheme store behind a proxy that forwards every call, except that the next call of one named method
    /// throws <see cref="InjectedStoreFailureException"/> instead of running: a disk or connection failure at that write.
    /// </summary>
    public class FailingSchemeStore : DispatchProxy
    {
        private object _inner = null!;
        private string? _failNext;
        private (string Method, Func<Task> Action)? _before;

        /// <summary>Whether the armed failure fired.</summary>
        public bool Fired { get; private set; }

        public static (ISchemeStore Store, FailingSchemeStore Control) Over(ISchemeStore inner) => Over<ISchemeStore>(inner);

        /// <summary>The same over any store interface (the ledger store, say).</summary>
        public static (T Store, FailingSchemeStore Control) Over<T>(T inner)
            where T : class
        {
            var store = Create<T, FailingSchemeStore>();
            var control = (FailingSchemeStore)(object)store;
            control._inner = inner;
            return (store, control);
        }

        public void FailNext(string method) => (_failNext, Fired) = (method, false);

        /// <summary>Runs <paramref name="action"/> to its end just before the next call of <paramref name="method"/>: another request landing at that moment.</summary>
        public void BeforeNext(string method, Func<Task> action) => _before = (method, action);

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            if (_before is { } before && targetMethod.Name == before.Method)
            {
                _before = null;
                before.Action().GetAwaiter().GetResult();
            }

            if (targetMethod.Name == _failNext)
            {
                _failNext = null;
                Fired = true;
                throw new InjectedStoreFailureException();
            }

            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException e) when (e.InnerException is not null)
            {
                System.Runtime.ExceptionServices.ExceptionDispatchInfo.Throw(e.InnerException);
                throw;
            }
        }
    }
}
