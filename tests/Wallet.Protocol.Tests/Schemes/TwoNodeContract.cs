using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Seeds;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>
/// Two scheme objects (two nodes) over one set of stores, each with its own write lock object onto one shared lock
/// (docs/scaling.md "Several nodes"): withdrawals, deposits and swaps run on both at once and race for the same coins,
/// keysets announced or revoked on one node take effect on the other, and afterwards the books are whole (ledger
/// verified, no coin spent twice, the log audits clean and both nodes serve the same tree head). Each backend runs it.
/// </summary>
public abstract class TwoNodeContract
{
    private const int Wallets = 6;

    /// <summary>The shared stores and, per call, one node's write lock onto the shared lock.</summary>
    protected sealed record Backend(ILedgerStore Ledger, ISchemeStore Scheme, IMerkleLogStore Log, Func<Task<ISchemeWriteLock>> NodeLock)
    {
        /// <summary>The transaction source of these stores (one transaction per operation), or null when they commit one by one.</summary>
        public ISchemeTransactions? Transactions { get; init; }

        /// <summary>Node B's own stores over the same data, as a second process opens them; null: node B uses node A's store objects.</summary>
        public Backend? NodeB { get; init; }
    }

    protected abstract Task<Backend> OpenBackendAsync();

    [Fact]
    public async Task WithdrawalsDepositsAndSwapsOnBothNodesKeepTheBooksWhole()
    {
        await using var nodes = await TwoNodes.CreateAsync(await OpenBackendAsync());
        var world = nodes.World;
        var funded = new List<(WorkerWallet Wallet, WalletSeed Seed)>();
        for (int i = 0; i < Wallets; i++)
        {
            funded.Add(await world.NewWalletAsync($"worker-{i}", 1500));
        }

        // Every wallet withdraws three coins at once, alternately on each node.
        await Task.WhenAll(funded.Select((w, i) => Task.Run(async () =>
        {
            var request = w.Wallet.PrepareWithdrawal(new IdempotencyKey($"w-{i}"), [world.General500.Id, world.General500.Id, world.General500.Id]);
            var result = await nodes.Node(i).WithdrawAsync(request);
            Assert.Equal(WithdrawalStatus.Issued, result.Status);
            Assert.Equal(WithdrawalCompletion.Completed, w.Wallet.CompleteWithdrawal(request, result.Response!));
        })));

        var payments = new List<PaymentRequest>();
        for (int i = 0; i < 2 * Wallets; i++)
        {
            payments.Add(await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(500), "dues", TimeSpan.FromHours(1)));
        }

        // Per wallet, all at once: its first coin swapped on both nodes, its second swapped on one and deposited on the
        // other, its third deposited alone.
        var outcomes = await Task.WhenAll(funded.Select((w, i) => Task.Run(async () =>
        {
            var coins = w.Wallet.Coins.ToList();
            var (a, b) = await RaceAsync(() => nodes.A.SwapAsync(SwapOf(world, w.Seed, coins[0], $"s-{i}-a")), () => nodes.B.SwapAsync(SwapOf(world, w.Seed, coins[0], $"s-{i}-b")));
            Assert.Equal(1, new[] { a, b }.Count(r => r.Status == SwapStatus.Swapped));
            Assert.All(new[] { a, b }.Where(r => r.Status != SwapStatus.Swapped), lost => Assert.Equal(SwapStatus.DoubleSpend, lost.Status));
            Assert.All(new[] { a, b }.SelectMany(r => r.Proofs), p => Assert.True(p.Verify()));

            var deposit = Deposit(world, w.Seed, coins[1], payments[2 * i], $"d-{i}-race");
            var (swapped, deposited) = await RaceAsync(() => nodes.Node(i).SwapAsync(SwapOf(world, w.Seed, coins[1], $"s-{i}-c")), () => nodes.Node(i + 1).DepositAsync(deposit));
            Assert.True((swapped.Status == SwapStatus.Swapped) ^ (deposited.Status == DepositStatus.Accepted), $"wallet {i}: swap {swapped.Status}, deposit {deposited.Status}");

            var alone = await nodes.Node(i + 1).DepositAsync(Deposit(world, w.Seed, coins[2], payments[(2 * i) + 1], $"d-{i}-alone"));
            Assert.Equal(DepositStatus.Accepted, alone.Status);
            return (Swaps: 1 + (swapped.Status == SwapStatus.Swapped ? 1 : 0), Deposits: 1 + (deposited.Status == DepositStatus.Accepted ? 1 : 0));
        })));

        int swaps = outcomes.Sum(o => o.Swaps), deposits = outcomes.Sum(o => o.Deposits);
        Assert.Equal(3 * Wallets, swaps + deposits);
        Assert.Equal(500L * deposits, await nodes.B.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(500L * swaps, (await world.Ledger.GetKeysetAsync(world.General500.Id)).SwappedIn.MinorUnits);
        await AssertWholeAsync(nodes, swaps);
    }

    [Fact]
    public async Task KeysetAnnouncedOnOneNodeIssuesOnTheOther()
    {
        await using var nodes = await TwoNodes.CreateAsync(await OpenBackendAsync());
        var world = nodes.World;
        var later = world.Descriptor(2, 100, KeysetDescriptor.GeneralFund);
        await nodes.B.AnnounceKeysetAsync(new IdempotencyKey("keyset-later"), KeysetParameters.Of(later), ProtocolKeys.Rsa2048);
        var (wallet, _) = await world.NewWalletAsync("worker-1", 300);

        // Node A never saw the announcement; node B never loaded the keys node A announced at start.
        var onA = wallet.PrepareWithdrawal(new IdempotencyKey("w-a"), [later.Id]);
        var issuedOnA = await nodes.A.WithdrawAsync(onA);
        var onB = wallet.PrepareWithdrawal(new IdempotencyKey("w-b"), [world.General100.Id, world.General100.Id]);
        var issuedOnB = await nodes.B.WithdrawAsync(onB);

        Assert.Equal(WithdrawalStatus.Issued, issuedOnA.Status);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(onA, issuedOnA.Response!));
        Assert.Equal(WithdrawalStatus.Issued, issuedOnB.Status);
        Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(onB, issuedOnB.Response!));
        await AssertWholeAsync(nodes, swaps: 0);
    }

    [Fact]
    public async Task KeysetRevokedOnOneNodeStopsIssuingOnTheOtherWithinTheRefreshInterval()
    {
        await using var nodes = await TwoNodes.CreateAsync(await OpenBackendAsync());
        var world = nodes.World;
        var (wallet, _) = await world.NewWalletAsync("worker-1", 300);
        Assert.Equal(WithdrawalStatus.Issued, (await nodes.B.WithdrawAsync(wallet.PrepareWithdrawal(new IdempotencyKey("w-1"), [world.General100.Id]))).Status);

        Assert.True(await nodes.A.RevokeKeysetAsync(world.General100.Id));
        world.Time.Advance(nodes.B.SignerRefreshInterval + TimeSpan.FromSeconds(1));
        var refused = await nodes.B.WithdrawAsync(wallet.PrepareWithdrawal(new IdempotencyKey("w-2"), [world.General100.Id]));

        Assert.Equal(WithdrawalStatus.UnknownKeyset, refused.Status);
        Assert.Equal(200, await nodes.B.GetWorkerBalanceAsync(wallet.Account));
    }

    [Fact]
    public async Task FundsTablePublishedOnOneNodeDecidesContributionsOnTheOther()
    {
        await using var nodes = await TwoNodes.CreateAsync(await OpenBackendAsync());
        var world = nodes.World;
        var worker = new AccountId("worker-1");
        await world.NewWalletAsync(worker.Value, 0);
        await nodes.B.ContributeAsync(new IdempotencyKey("before"), ContributionSource.Levy, worker, Amount.FromMinorUnits(100));

        Assert.True(await nodes.A.PublishFundsTableAsync(FundsTable.Sign(1, ProtocolWorld.Start.AddDays(-1), [new(ContributionSource.Levy, "training")], world.AccreditationKey)));
        await nodes.B.ContributeAsync(new IdempotencyKey("after"), ContributionSource.Levy, worker, Amount.FromMinorUnits(40));

        Assert.Equal(new Dictionary<string, Amount> { ["general"] = Amount.FromMinorUnits(100), ["training"] = Amount.FromMinorUnits(40) }, await nodes.B.GetWorkerFundBalancesAsync(worker));
        Assert.Single(await nodes.B.ListFundsTablesAsync());
        Assert.False(await nodes.B.PublishFundsTableAsync(FundsTable.Sign(1, ProtocolWorld.Start, [], world.AccreditationKey)));
    }

    private static DepositRequest Deposit(ProtocolWorld world, WalletSeed seed, WalletCoin coin, PaymentRequest payment, string key) =>
        new(world.UnionA.Record.Id, new IdempotencyKey(key), ProtocolWorld.ForceSpends(seed, [coin], payment));

    // A swap of one 500 coin into five 100 coins; the outputs are fresh random blinded messages below the modulus.
    private static SwapRequest SwapOf(ProtocolWorld world, WalletSeed seed, WalletCoin coin, string key)
    {
        using var secrets = seed.DeriveCoin(coin.Coin.Keyset.Bytes, coin.Counter);
        var outputs = Enumerable.Range(0, 5).Select(_ =>
        {
            byte[] blinded = RandomNumberGenerator.GetBytes(256);
            blinded[0] = 0;
            return new WithdrawalItem(world.General100.Id, BlindedMessage.FromBytes(blinded));
        }).ToList();
        return SwapRequest.Sign(new IdempotencyKey(key), [coin.Coin], outputs, [secrets.SigningKey]);
    }

    private static async Task<(T1, T2)> RaceAsync<T1, T2>(Func<Task<T1>> one, Func<Task<T2>> two)
    {
        using var barrier = new Barrier(2);
        var first = Task.Run(() =>
        {
            barrier.SignalAndWait();
            return one();
        });
        var second = Task.Run(() =>
        {
            barrier.SignalAndWait();
            return two();
        });
        return (await first, await second);
    }

    // The ledger verifies, the log audits clean with every coin spent at most once, and both nodes sign the same head.
    private static async Task AssertWholeAsync(TwoNodes nodes, int swaps)
    {
        var head = await nodes.A.GetTreeHeadAsync();
        var other = await nodes.B.GetTreeHeadAsync();
        Assert.Equal((head.TreeSize, head.RootHash), (other.TreeSize, other.RootHash));
        var entries = new List<LogEntry>();
        for (ulong i = 0; i < head.TreeSize; i++)
        {
            var entry = (await nodes.A.GetLogEntryAsync(i))!;
            Assert.Equal(entry.Encode(), (await nodes.B.GetLogEntryAsync(i))!.Encode());
            entries.Add(entry);
        }

        Assert.Equal(swaps, entries.Count(e => e.Kind == LogEntryKind.CoinsSwapped));
        var spent = entries.SelectMany(e => e.SpentCoins?.Coins ?? []).Concat(entries.SelectMany(e => e.Swap?.Inputs ?? [])).Select(c => c.Id).ToList();
        Assert.Equal(spent.Count, spent.Distinct().Count());
        var report = new LogAuditor(nodes.A.PublicKey, nodes.World.AccreditationKey.PublicKey).Audit(entries, [head]);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
        Assert.Empty((await nodes.World.Ledger.VerifyAsync()).Problems);
        Assert.Empty((await ((Wallet.Protocol.Roles.ISchemeOperator)nodes.B).VerifyLedgerAsync()).Problems);
    }

    /// <summary>Node A is the world's scheme (the world sets up through it); node B is a second scheme object over the same stores.</summary>
    private sealed class TwoNodes : IAsyncDisposable
    {
        private readonly InMemoryKeysetKeyStore _keys;
        private readonly ISchemeWriteLock[] _locks;

        private TwoNodes(ProtocolWorld world, BenefitScheme b, InMemoryKeysetKeyStore keys, ISchemeWriteLock[] locks) =>
            (World, B, _keys, _locks) = (world, b, keys, locks);

        public ProtocolWorld World { get; }

        public BenefitScheme A => World.Scheme;

        public BenefitScheme B { get; }

        public BenefitScheme Node(int i) => i % 2 == 0 ? A : B;

        public static async Task<TwoNodes> CreateAsync(Backend backend)
        {
            // One key custody for both nodes, as a shared key store would be.
            var keys = new InMemoryKeysetKeyStore();
            var lockA = await backend.NodeLock();
            var lockB = await backend.NodeLock();
            var world = await ProtocolWorld.CreateAsync(backend.Ledger, backend.Scheme, backend.Log, scheme: w =>
                new BenefitScheme(w.SchemeKey, w.AccreditationKey.PublicKey, w.Ledger, backend.Scheme, backend.Log, w.Time, keys) { WriteLock = lockA, Transactions = backend.Transactions });
            var nodeB = backend.NodeB ?? backend;
            var b = new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, new SchemeLedger(nodeB.Ledger, world.Time), nodeB.Scheme, nodeB.Log, world.Time, keys) { WriteLock = lockB, Transactions = nodeB.Transactions };
            return new TwoNodes(world, b, keys, [lockA, lockB]);
        }

        public async ValueTask DisposeAsync()
        {
            World.Dispose();
            _keys.Dispose();
            foreach (var writeLock in _locks.Distinct())
            {
                if (writeLock is IAsyncDisposable asyncDisposable)
                {
                    await asyncDisposable.DisposeAsync();
                }
                else if (writeLock is IDisposable disposable)
                {
                    disposable.Dispose();
                }
            }
        }
    }
}
