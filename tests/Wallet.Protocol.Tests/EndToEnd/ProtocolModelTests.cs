using FsCheck;
using FsCheck.Fluent;
using Wallet.Crypto.Seeds;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>
/// The ledger model test extended to the real protocol roles: random sequences of contributions, withdrawals through a
/// <see cref="WorkerWallet"/> (with lost responses retried), payments to providers, deposits, replayed deposits,
/// double spends signed with a wallet's seed (<see cref="ProtocolWorld.ForceSpends"/>), payments the provider refuses and
/// payments abandoned by a refund swap (value back, or proof that the provider deposited them), and the epoch's expiry with
/// default allocation, run against <see cref="Protocol.Schemes.BenefitScheme"/> and a plain reference model of balances. After
/// every step the scheme, the wallets and the model agree and <see cref="SchemeLedger.VerifyAsync(CancellationToken)"/> passes; after every
/// run the <see cref="LogAuditor"/> finds no violation. Store test classes inherit this and supply the stores.
/// </summary>
public abstract class ProtocolModelTests
{
    private static readonly string[] Sectors = ["retail", "care"];

    /// <summary>A fresh world over fresh stores for one run.</summary>
    protected abstract Task<ProtocolWorld> CreateWorldAsync();

    /// <summary>Releases the stores of the run's world.</summary>
    protected virtual ValueTask ReleaseWorldAsync() => ValueTask.CompletedTask;

    public static Arbitrary<ModelAction[]> Actions { get; } = Arb.From(
        (from op in Gen.Choose(0, 99)
         from a in Gen.Choose(0, 999)
         from b in Gen.Choose(0, 999)
         select new ModelAction(op, a, b))
        .ArrayOf()
        .Resize(14));

    // RSA blind signing costs about a millisecond per coin: few coins per run, few runs.
    [FsCheck.Xunit.Property(MaxTest = 12)]
    public Property SchemeWalletsAndProvidersMatchTheModel() =>
        Prop.ForAll(Actions, actions => RunAsync(actions).GetAwaiter().GetResult());

    // Payments refused and abandoned need coins first: each run starts by funding both workers with three coins of 100
    // (600 contributed, 300 withdrawn each), then a mix weighted to payments, deposits and abandons reaches both abandon
    // outcomes (refund, and proof of an earlier deposit).
    private static readonly ModelAction[] Funding = [new(0, 0, 5), new(0, 1, 5), new(2, 0, 2), new(2, 1, 2)];

    public static Arbitrary<ModelAction[]> AbandonActions { get; } = Arb.From(
        (from op in Gen.Elements(0, 2, 5, 5, 5, 6, 6, 6, 7, 10, 11, 11)
         from a in Gen.Choose(0, 999)
         from b in Gen.Choose(0, 999)
         select new ModelAction(op, a, b))
        .ArrayOf()
        .Resize(20)
        .Select(tail => Funding.Concat(tail).ToArray()));

    [FsCheck.Xunit.Property(MaxTest = 8)]
    public Property AbandonedPaymentsComeBackOrAreProvenDepositedAndValueIsConserved() =>
        Prop.ForAll(AbandonActions, actions => RunAsync(actions).GetAwaiter().GetResult());

    private async Task RunAsync(ModelAction[] actions)
    {
        var world = await CreateWorldAsync();
        try
        {
            var run = await Run.StartAsync(world);
            for (int i = 0; i < actions.Length; i++)
            {
                try
                {
                    await run.StepAsync(i, actions[i]);
                    await run.CheckAsync();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    throw new InvalidOperationException($"step {i} {actions[i]} of [{string.Join(", ", actions.Take(i + 1))}]: {ex.Message}", ex);
                }
            }

            // Close the epoch in every run, so default allocation is checked by the auditor each time.
            await run.ExpireAsync();
            await run.CheckAsync();
            var report = DefaultAllocationTests.Auditor(world).Audit(await DefaultAllocationTests.EntriesAsync(world), [await world.Scheme.GetTreeHeadAsync()]);
            Assert.True(report.IsClean, string.Join("; ", report.Violations));
        }
        finally
        {
            world.Dispose();
            await ReleaseWorldAsync();
        }
    }

    /// <summary>One run: the real roles and the reference model side by side.</summary>
    private sealed class Run
    {
        private readonly ProtocolWorld _world;
        private readonly (WorkerWallet Wallet, WalletSeed Seed)[] _wallets;
        private readonly AccreditedProvider[] _payees;

        // The reference model: plain numbers per party.
        private readonly long[] _workerBalance = new long[2];
        private readonly Dictionary<AccountId, long> _providerBalance = [];
        private readonly Dictionary<AccountId, long> _providerPending = [];
        private long _pool;
        private bool _closed;

        private readonly Dictionary<AccountId, DepositRequest> _lastDeposit = [];
        private readonly List<(WalletSeed Seed, WalletCoin Coin)> _deposited = [];
        private readonly Dictionary<AccountId, List<(WalletSeed Seed, WalletCoin Coin)>> _paidCoins = [];

        // Payments the wallets hold in flight: who paid, and what became of it (refused by the provider, or deposited
        // without the receipt reaching the wallet). A refused payment's coins are outstanding at the scheme until abandoned.
        private readonly Dictionary<PaymentId, int> _payer = [];
        private readonly Dictionary<PaymentId, long> _refused = [];
        private readonly HashSet<PaymentId> _depositedUnconfirmed = [];
        private int _keys;

        private Run(ProtocolWorld world, (WorkerWallet, WalletSeed)[] wallets)
        {
            _world = world;
            _wallets = wallets;
            _payees = [world.UnionA, world.Trainer];
            foreach (var provider in new[] { world.UnionA, world.UnionB, world.Trainer })
            {
                _providerBalance[provider.Record.Id] = 0;
                _providerPending[provider.Record.Id] = 0;
                _paidCoins[provider.Record.Id] = [];
            }
        }

        public static async Task<Run> StartAsync(ProtocolWorld world)
        {
            // ("care", *) defaults to union-b, whose accreditation lapses on day 10: its workers' balances are pooled at expiry.
            await DefaultAllocationTests.PublishAsync(world, 1, ("*", "*", "union-a"), ("care", "*", "union-b"));
            var wallets = new (WorkerWallet, WalletSeed)[2];
            for (int i = 0; i < wallets.Length; i++)
            {
                wallets[i] = await world.NewWalletAsync($"worker-{i}", 0);
            }

            return new Run(world, wallets);
        }

        public Task StepAsync(int index, ModelAction action) => (action.Op % 12) switch
        {
            9 => PartialDepositAsync(action),
            10 => PayRefusedAsync(action),
            11 => AbandonAsync(action),
            0 or 1 => ContributeAsync(action),
            2 or 3 => WithdrawAsync(action, loseFirstResponse: false),
            4 => WithdrawAsync(action, loseFirstResponse: true),
            5 => PayAsync(action),
            6 => DepositAsync(action),
            7 => ReplayDepositAsync(action),
            _ => DoubleSpendAsync(action),
        };

        public async Task CheckAsync()
        {
            for (int i = 0; i < _wallets.Length; i++)
            {
                Assert.Equal(_workerBalance[i], await _world.Scheme.GetWorkerBalanceAsync(_wallets[i].Wallet.Account));
            }

            foreach (var (provider, balance) in _providerBalance)
            {
                Assert.Equal(balance, await _world.Scheme.GetProviderBalanceAsync(provider));
            }

            Assert.Equal(_pool, await _world.Ledger.GetBalanceAsync(LedgerAccount.DefaultPool));
            var verification = await _world.Ledger.VerifyAsync();
            Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
        }

        public async Task ExpireAsync()
        {
            if (_closed)
            {
                return;
            }

            _closed = true;
            _world.Time.Advance(TimeSpan.FromDays(91));
            long outstanding = _wallets.Sum(w => w.Wallet.Balance.MinorUnits) + _providerPending.Values.Sum() + _refused.Values.Sum();
            long expired = 0;
            foreach (var keyset in _world.AllKeysets)
            {
                var expiry = await _world.Scheme.ExpireKeysetAsync(keyset.Id);
                expired += expiry!.Value.MinorUnits;
                var allocation = await _world.Scheme.AllocateExpiredAsync(keyset.Id);
                Assert.Equal(expiry.Value, allocation!.Total);
            }

            // Payments never deposited expire with the coins: the value the model held as pending goes to the default.
            Assert.Equal(outstanding, expired);
            _providerBalance[_world.UnionA.Record.Id] += expired;
            foreach (var provider in _providerPending.Keys)
            {
                _providerPending[provider] = 0;
            }

            var inputs = _wallets.Select((w, i) => new DefaultAllocationInput(w.Wallet.Account, Sectors[i % Sectors.Length], "north")).ToList();
            var round = await _world.Scheme.AllocateUnwithdrawnAsync("epoch-1", inputs);
            Assert.Equal(_workerBalance.Sum(), round!.Total.MinorUnits);
            _providerBalance[_world.UnionA.Record.Id] += _workerBalance[0];
            _pool += _workerBalance[1];
            _workerBalance[0] = _workerBalance[1] = 0;
        }

        private async Task ContributeAsync(ModelAction action)
        {
            int worker = action.A % _wallets.Length;
            long amount = 100 * (1 + (action.B % 6));
            var result = await _world.Scheme.ContributeAsync(NextKey("c"), ContributionSource.Employer, _wallets[worker].Wallet.Account, Amount.FromMinorUnits(amount));
            Assert.True(result.Succeeded);
            _workerBalance[worker] += amount;
        }

        private async Task WithdrawAsync(ModelAction action, bool loseFirstResponse)
        {
            if (_closed)
            {
                return;
            }

            int worker = action.A % _wallets.Length;
            var wallet = _wallets[worker].Wallet;
            var coins = Enumerable.Range(0, 1 + (action.B % 3)).Select(i => ((action.B >> (i + 2)) & 1) == 0 ? _world.General100 : _world.General500).ToList();
            long total = coins.Sum(c => c.Denomination.MinorUnits);
            var request = wallet.PrepareWithdrawal(NextKey("w"), [.. coins.Select(c => c.Id)]);
            var result = await _world.Scheme.WithdrawAsync(request);
            if (loseFirstResponse)
            {
                // The response is lost on the way; the wallet sends the very same request again.
                var retried = await _world.Scheme.WithdrawAsync(request);
                Assert.Equal(result.Status, retried.Status);
                result = retried;
            }

            if (total > _workerBalance[worker])
            {
                Assert.Equal(WithdrawalStatus.InsufficientFunds, result.Status);
                return;
            }

            Assert.Equal(WithdrawalStatus.Issued, result.Status);
            long before = wallet.Balance.MinorUnits;
            Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, result.Response!));
            Assert.Equal(before + total, wallet.Balance.MinorUnits);
            _workerBalance[worker] -= total;
        }

        private async Task PayAsync(ModelAction action)
        {
            var (wallet, seed) = _wallets[action.A % _wallets.Length];
            var available = wallet.Coins;
            if (_closed || available.Count == 0)
            {
                return;
            }

            var provider = _payees[action.B % _payees.Length];
            var chosen = available.Take(1 + (action.B % Math.Min(3, available.Count))).ToList();
            long amount = chosen.Sum(c => c.Value.MinorUnits);
            var request = await provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(amount), "model payment", TimeSpan.FromHours(1));
            long before = wallet.Balance.MinorUnits;
            var prepared = wallet.PreparePayment(request, _world.Registry);

            Assert.Equal(PaymentPreparationStatus.Ready, prepared.Status);
            Assert.Equal(PaymentVerification.Accepted, await provider.VerifyPaymentAsync(request, prepared.Spends, _world.AllKeysets));
            Assert.Equal(before - amount, wallet.Balance.MinorUnits);
            var spentIds = prepared.Spends.Select(s => s.Coin.Id).ToHashSet();
            _paidCoins[provider.Record.Id].AddRange(available.Where(c => spentIds.Contains(c.Coin.Id)).Select(c => (seed, c)));
            _providerPending[provider.Record.Id] += amount;
            _payer[request.Id] = action.A % _wallets.Length;
        }

        private async Task DepositAsync(ModelAction action)
        {
            var provider = _payees[action.A % _payees.Length];
            if (_closed)
            {
                return;
            }

            var deposit = await provider.CreateDepositAsync(NextKey("d"));
            if (deposit is null)
            {
                Assert.Equal(0, _providerPending[provider.Record.Id]);
                return;
            }

            var result = await _world.Scheme.DepositAsync(deposit);
            Assert.Equal(DepositStatus.Accepted, result.Status);
            Assert.True(result.Receipt!.Verify(deposit, _world.Scheme.PublicKey));
            ConfirmOrLeaveInFlight(action, await provider.CompleteDepositAsync(deposit, result));
            _providerBalance[provider.Record.Id] += _providerPending[provider.Record.Id];
            _providerPending[provider.Record.Id] = 0;
            _deposited.AddRange(_paidCoins[provider.Record.Id]);
            _paidCoins[provider.Record.Id].Clear();
            _lastDeposit[provider.Record.Id] = deposit;
        }

        // Half the time the spend receipts reach the payers' wallets and close their payments; otherwise the payments stay
        // in flight, deposited, for AbandonAsync to find.
        private void ConfirmOrLeaveInFlight(ModelAction action, IReadOnlyList<(PaymentRequest Request, SpendReceipt Receipt)> receipts)
        {
            Assert.NotEmpty(receipts);
            foreach (var (request, receipt) in receipts)
            {
                var wallet = _wallets[_payer[request.Id]].Wallet;
                if (action.B % 2 == 0)
                {
                    Assert.True(wallet.AcceptSpendReceipt(receipt, request, _world.Registry));
                    Assert.DoesNotContain(request.Id, wallet.Payments.Select(p => p.Id));
                }
                else
                {
                    Assert.Contains(request.Id, wallet.PaymentsInFlight.Select(p => p.Id));
                    _depositedUnconfirmed.Add(request.Id);
                }
            }
        }

        private Task PayRefusedAsync(ModelAction action) => PayRefusedAsync(action.A % _wallets.Length, action);

        // The wallet pays, the provider refuses (it never queues the spends): the coins are in flight and out of the
        // wallet's balance until it abandons the payment.
        private async Task PayRefusedAsync(int worker, ModelAction action)
        {
            var wallet = _wallets[worker].Wallet;
            var available = wallet.Coins;
            if (_closed || available.Count == 0)
            {
                return;
            }

            var provider = _payees[action.B % _payees.Length];
            var chosen = available.Take(1 + (action.B % Math.Min(3, available.Count))).ToList();
            long amount = chosen.Sum(c => c.Value.MinorUnits);
            var request = await provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(amount), "refused payment", TimeSpan.FromHours(1));
            Assert.Equal(PaymentPreparationStatus.Ready, wallet.PreparePayment(request, _world.Registry).Status);
            _payer[request.Id] = worker;
            _refused[request.Id] = amount;
        }

        private async Task AbandonAsync(ModelAction action)
        {
            if (_closed)
            {
                return;
            }

            // Any wallet's refused or deposited-but-unconfirmed payment; with none, a payment the provider refuses now.
            var candidates = _wallets.SelectMany(w => w.Wallet.PaymentsInFlight.Where(p => _refused.ContainsKey(p.Id) || _depositedUnconfirmed.Contains(p.Id))).ToList();
            if (candidates.Count == 0)
            {
                int worker = Array.FindIndex(_wallets, w => w.Wallet.Coins.Count > 0);
                if (worker < 0)
                {
                    return;
                }

                await PayRefusedAsync(worker, action);
                candidates = [.. _wallets.SelectMany(w => w.Wallet.PaymentsInFlight.Where(p => _refused.ContainsKey(p.Id)))];
            }

            // Refund by swap: a refused payment's value comes back; a deposited one makes the swap fail with proof. An
            // odd B prefers a deposited payment when there is one, so both outcomes come up.
            var deposited = candidates.Where(p => _depositedUnconfirmed.Contains(p.Id)).ToList();
            var pool = deposited.Count > 0 && action.B % 2 == 1 ? deposited : candidates;
            var payment = pool[action.B / 2 % pool.Count];
            var wallet = _wallets[_payer[payment.Id]].Wallet;
            long before = wallet.Balance.MinorUnits;
            var swap = wallet.PrepareAbandonPayment(payment.Id, NextKey("a"), [.. _world.AllKeysets.Select(k => k.Id)]);
            Assert.Equal(SwapPreparationStatus.Ready, swap.Status);
            var result = await _world.Scheme.SwapAsync(swap.Request!);
            var outcome = wallet.CompleteAbandonPayment(swap.Request!, result);
            var state = Assert.Single(wallet.Payments, p => p.Id == payment.Id).State;
            if (_refused.Remove(payment.Id, out long amount))
            {
                Assert.Equal(PaymentAbandonmentStatus.Refunded, outcome.Status);
                Assert.Equal(WalletPaymentState.Abandoned, state);
                Assert.Equal(before + amount, wallet.Balance.MinorUnits);
            }
            else
            {
                Assert.Equal(PaymentAbandonmentStatus.Deposited, outcome.Status);
                Assert.Equal(WalletPaymentState.Deposited, state);
                Assert.Equal(before, wallet.Balance.MinorUnits);
                _depositedUnconfirmed.Remove(payment.Id);
            }
        }

        private async Task ReplayDepositAsync(ModelAction action)
        {
            var provider = _payees[action.A % _payees.Length];
            if (!_lastDeposit.TryGetValue(provider.Record.Id, out var deposit))
            {
                return;
            }

            // A provider that lost the receipt sends the same batch again: the stored receipt comes back, nothing moves.
            var result = await _world.Scheme.DepositAsync(deposit);
            Assert.Equal(DepositStatus.Accepted, result.Status);
            Assert.True(result.Receipt!.Verify(deposit, _world.Scheme.PublicKey));
        }

        private async Task DoubleSpendAsync(ModelAction action)
        {
            if (_closed || _deposited.Count == 0)
            {
                return;
            }

            // The seed's holder signs an already deposited coin to another payment: the first deposit wins.
            var (seed, coin) = _deposited[action.A % _deposited.Count];
            var request = await _world.Trainer.CreatePaymentRequestAsync(coin.Value, "second spend", TimeSpan.FromHours(1));
            var spends = ProtocolWorld.ForceSpends(seed, [coin], request);
            var result = await _world.Scheme.DepositAsync(new DepositRequest(_world.Trainer.Record.Id, NextKey("x"), spends));

            Assert.Equal(DepositStatus.DoubleSpend, result.Status);
            var proof = Assert.Single(result.DoubleSpendProofs);
            Assert.True(proof.Verify());
            Assert.Equal(coin.Coin.Id, proof.First.Coin.Id);
        }

        // A provider's queued payments (one paid just now, of one coin) with bad payments among them: a doubly
        // spent coin (one already deposited) and a payment whose coin does not cover its amount (a wallet's unspent coin,
        // which stays the wallet's). Only the honest payments are credited; a rejected payment moves nothing.
        private async Task PartialDepositAsync(ModelAction action)
        {
            if (_closed)
            {
                return;
            }

            // Three coins of 100 when the worker has fewer than three, so the honest payment (one coin) leaves some unpaid.
            int worker = action.A % _wallets.Length;
            if (_wallets[worker].Wallet.Coins.Count < 3)
            {
                await ContributeAsync(new ModelAction(0, worker, 2));
                await WithdrawAsync(new ModelAction(2, worker, 2), loseFirstResponse: false);
            }

            int b = action.B - (action.B % 6) + (3 * (action.B % 2));
            await PayAsync(new ModelAction(5, worker, b));
            var provider = _payees[b % _payees.Length];
            var bad = new List<Protocol.Coins.CoinSpend>();
            Protocol.Payments.PaymentRequest? doubled = null;
            if (_deposited.Count > 0)
            {
                var (seed, coin) = _deposited[action.A % _deposited.Count];
                doubled = await provider.CreatePaymentRequestAsync(coin.Value, "second spend", TimeSpan.FromHours(1));
                bad.AddRange(ProtocolWorld.ForceSpends(seed, [coin], doubled));
            }

            var holder = _wallets.FirstOrDefault(w => w.Wallet.Coins.Count > 0);
            var unpaid = holder.Wallet?.Coins[0];
            if (unpaid is not null)
            {
                var shortRequest = await provider.CreatePaymentRequestAsync(unpaid.Value + Amount.FromMinorUnits(100), "short payment", TimeSpan.FromHours(1));
                bad.AddRange(ProtocolWorld.ForceSpends(holder.Seed, [unpaid], shortRequest));
            }

            var honest = await provider.CreateDepositAsync(NextKey("p"));
            if (bad.Count == 0)
            {
                return;
            }

            var spends = honest?.Spends.ToList() ?? [];
            int at = action.B % (spends.Count + 1);
            var request = new DepositRequest(provider.Record.Id, honest?.IdempotencyKey ?? NextKey("p"), [.. spends.Take(at), .. bad, .. spends.Skip(at)]);
            var result = await _world.Scheme.DepositAsync(request);

            if (doubled is not null)
            {
                var outcome = Assert.Single(result.Payments, p => p.Payment == doubled.Id);
                Assert.Equal(DepositPaymentStatus.DoubleSpend, outcome.Status);
                Assert.True(Assert.Single(outcome.DoubleSpendProofs).Verify());
            }

            Assert.Equal(unpaid is null ? 0 : 1, result.Payments.Count(p => p.Status == DepositPaymentStatus.Rejected && p.Reason == DepositRejectionReason.AmountMismatch));
            if (honest is null)
            {
                Assert.Null(result.Receipt);
                Assert.Equal(unpaid is null ? DepositStatus.DoubleSpend : DepositStatus.Rejected, result.Status);
                return;
            }

            Assert.Equal(DepositStatus.Accepted, result.Status);
            Assert.True(result.Receipt!.Verify(request, _world.Scheme.PublicKey));
            Assert.Equal(_providerPending[provider.Record.Id], result.Receipt.Total.MinorUnits);
            Assert.Equal(honest.Spends.Length, result.Receipt.CoinCount);
            Assert.NotEmpty(await provider.CompleteDepositAsync(request, result));
            _providerBalance[provider.Record.Id] += _providerPending[provider.Record.Id];
            _providerPending[provider.Record.Id] = 0;
            _deposited.AddRange(_paidCoins[provider.Record.Id]);
            _paidCoins[provider.Record.Id].Clear();
            _lastDeposit[provider.Record.Id] = request;
        }

        private IdempotencyKey NextKey(string kind) => new($"{kind}-{_keys++}");
    }
}
