using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.Time.Testing;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// The stateful model test of DESIGN.md section 4: random sequences of contributions, withdrawals, deposits
/// (with replays and double spends), payroll batches of contributions (with repeated and reused line keys), swaps, expiries, default allocations, withdrawal reversals, refunds, payouts, retries with reused idempotency
/// keys and injected store faults, run against the real ledger over a real store and against
/// <see cref="LedgerModel"/>. After every step the two agree and <see cref="SchemeLedger.VerifyAsync(CancellationToken)"/>
/// finds every invariant intact. Store test classes inherit this and supply the store.
/// </summary>
public abstract class LedgerModelTests
{
    private const int Workers = 3;
    private const int Providers = 2;
    private const int KeysetCount = 4;
    private static readonly long[] Denominations = [1, 2, 5, 10, 20, 50];

    /// <summary>Creates an empty store; disposed after the run when it is <see cref="IAsyncDisposable"/>.</summary>
    protected abstract ILedgerStore CreateStore();

    public static Arbitrary<ModelStep[]> Steps { get; } = Arb.From(
        (from op in Gen.Choose(0, 99)
         from a in Gen.Choose(0, 999)
         from b in Gen.Choose(0, 999)
         from c in Gen.Choose(0, 999)
         select new ModelStep(op, a, b, c))
        .ArrayOf()
        .Resize(40),
        Shrink);

    /// <summary>Shrinks a failing sequence by dropping steps, so a counterexample is short enough to keep as a Replay test.</summary>
    private static IEnumerable<ModelStep[]> Shrink(ModelStep[] steps)
    {
        for (int size = steps.Length / 2; size >= 1; size /= 2)
        {
            for (int start = 0; start + size <= steps.Length; start += size)
            {
                yield return [.. steps[..start], .. steps[(start + size)..]];
            }
        }
    }

    [FsCheck.Xunit.Property(MaxTest = 60)]
    public Property LedgerMatchesModelAndKeepsInvariants() =>
        Prop.ForAll(Steps, steps => Run(steps));

    /// <summary>Runs one sequence; throws (with the step) on the first disagreement.</summary>
    protected void Run(ModelStep[] steps) => RunAsync(steps).GetAwaiter().GetResult();

    private async Task RunAsync(ModelStep[] steps)
    {
        var inner = CreateStore();
        try
        {
            var harness = new Harness(new FaultInjectingLedgerStore(inner));
            for (int i = 0; i < steps.Length; i++)
            {
                try
                {
                    await harness.StepAsync(i, steps[i]);
                    await harness.CheckAsync();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    throw new InvalidOperationException($"step {i} {steps[i]} of [{string.Join(", ", steps.Take(i + 1))}]: {ex.Message}", ex);
                }
            }
        }
        finally
        {
            if (inner is IAsyncDisposable disposable)
            {
                await disposable.DisposeAsync();
            }
        }
    }

    private sealed class Harness(FaultInjectingLedgerStore store)
    {
        private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 4, 1, 0, 0, 0, TimeSpan.Zero));
        private readonly LedgerModel _model = new();
        private readonly List<(long Coin, int Keyset, long Value)> _issued = [];
        private readonly List<ModelRequest> _history = [];
        private long _nextCoin;

        private SchemeLedger Ledger => new(store, _time);

        public async Task StepAsync(int index, ModelStep step)
        {
            _time.Advance(TimeSpan.FromSeconds(1 + step.C % 7));
            string key = $"k{index}";
            switch (step.Op)
            {
                case < 82 and >= 67 when _history.Count > 0 && step.Op < 77:
                    await ExecuteAsync(_history[step.A % _history.Count]);
                    break;
                case < 82 and >= 77 when _history.Count > 0:
                    var reused = _history[step.A % _history.Count].Key;
                    await ExecuteAsync(new ContributeRequest(reused, ContributionSource.Levy, 0, 1_000_000 + index));
                    break;
                case >= 82 and < 92:
                    await ExecuteWithFaultAsync(Request(key, new ModelStep(step.B % 67, step.C, step.A, step.B)), (StoreFault)(1 + (step.A % 3)));
                    break;
                case >= 92 when _issued.Count > 0:
                    // A provider deposits coins someone already deposited: a replayed deposit under a new key.
                    var coins = Enumerable.Range(0, 1 + (step.B % 3)).Select(i => _issued[(step.C + i) % _issued.Count]).Distinct().ToArray();
                    await ExecuteAsync(new DepositRequest(key, step.A % Providers, coins));
                    break;
                case < 15 when step.C % 4 == 0:
                    await ExecuteBatchAsync(BatchLines(index, step), step.A % 7 == 0 ? (StoreFault)(1 + (step.B % 3)) : StoreFault.None);
                    break;
                default:
                    await ExecuteAsync(Request(key, step));
                    break;
            }
        }

        // A payroll batch: new lines, sometimes a line repeated within the batch and a line that repeats (or
        // reuses the key of) an earlier contribution.
        private List<ContributeRequest> BatchLines(int index, ModelStep step)
        {
            var lines = new List<ContributeRequest>();
            var earlier = _history.OfType<ContributeRequest>().ToArray();
            for (int j = 0; j < 1 + (step.B % 4); j++)
            {
                if (j == 1 && step.A % 3 == 0)
                {
                    lines.Add(lines[0]);
                }
                else if (j == 2 && step.A % 5 == 0 && earlier.Length > 0)
                {
                    var before = earlier[step.C % earlier.Length];
                    lines.Add(step.B % 2 == 0 ? before : before with { Amount = before.Amount + 1 });
                }
                else
                {
                    lines.Add(new ContributeRequest($"k{index}-{j}", (ContributionSource)(1 + ((step.A + j) % 4)), (step.B + j) % Workers, 1 + ((step.C + (13 * j)) % 200)));
                }
            }

            return lines;
        }

        private async Task ExecuteBatchAsync(List<ContributeRequest> lines, StoreFault fault)
        {
            store.NextFault = fault;
            IReadOnlyList<LedgerResult>? completed = null;
            try
            {
                completed = await SendBatchAsync(lines);
            }
            catch (LedgerStoreException) when (store.Fired)
            {
                // The injected failure: the caller sees no response.
            }

            if (store.Fired)
            {
                Assert.Null(completed);
                if (fault == StoreFault.AfterCommit)
                {
                    lines.ForEach(l => _model.Apply(l));
                }

                // The client sends the same batch again.
                completed = await SendBatchAsync(lines);
            }

            for (int j = 0; j < lines.Count; j++)
            {
                var expected = _model.Apply(lines[j]);
                Compare(expected, completed![j]);
                Remember(lines[j], expected);
            }
        }

        private Task<IReadOnlyList<LedgerResult>> SendBatchAsync(List<ContributeRequest> lines) =>
            Ledger.ContributeBatchAsync([.. lines.Select(c => new ContributionLine(Key(c.Key), c.Source, Worker(c.Worker), Pence(c.Amount), LedgerModel.SourceFund(c.Source)))]);

        public async Task CheckAsync()
        {
            await using (var tx = await store.BeginReadAsync(CancellationToken.None))
            {
                var balances = new Dictionary<LedgerAccount, long>();
                await foreach (var balance in tx.ReadBalancesAsync(CancellationToken.None))
                {
                    balances[balance.Account] = balance.Balance;
                }

                var expected = _model.Balances.Where(b => b.Value != 0).ToDictionary();
                Assert.Equal(expected.OrderBy(b => b.Key), balances.OrderBy(b => b.Key));

                var keysets = new List<KeysetTotals>();
                await foreach (var totals in tx.ReadKeysetsAsync(CancellationToken.None))
                {
                    keysets.Add(totals);
                }

                Assert.Equal(_model.Keysets.Values.OrderBy(k => k.Keyset), keysets);
                Assert.Equal(_model.Sequence, (await tx.GetHeadAsync(CancellationToken.None)).Sequence);

                // docs/PROTOCOL.md 5.17 and 5.18: per provider, payable = credited (deposits and default allocations)
                // - refunded - paid out, never negative; the payouts account holds what left the scheme.
                for (int p = 0; p < Providers; p++)
                {
                    long payable = balances.GetValueOrDefault(LedgerAccount.Provider(Provider(p)));
                    var (credited, refunded) = _model.Providers.GetValueOrDefault(p);
                    long paidOut = _model.PaidOut.GetValueOrDefault(p);
                    Assert.True(payable >= 0, $"provider {p} payable {payable}");
                    Assert.Equal(credited - refunded - paidOut, payable);
                    Assert.Equal(_model.Credited.GetValueOrDefault(p), credited);
                    Assert.Equal(paidOut, await tx.GetBalanceAsync(LedgerAccount.Payouts(Provider(p)), CancellationToken.None));
                }
                foreach (var (coin, _, _) in _issued)
                {
                    var id = Coin(coin);
                    Assert.Equal(_model.Spent.TryGetValue(id, out long s) ? s : null, await tx.FindSpentAsync(id, CancellationToken.None));
                }
            }

            // docs/PROTOCOL.md 5.22: every worker's sub-balance per fund agrees with the model, and the journal is
            // balanced per fund given each keyset's fund.
            for (int w = 0; w < Workers; w++)
            {
                var funds = await Ledger.GetFundBalancesAsync(Worker(w));
                var expectedFunds = new SortedDictionary<string, Amount>(StringComparer.Ordinal) { [LedgerModel.GeneralFund] = Amount.Zero };
                foreach (var fund in new[] { LedgerModel.GeneralFund, LedgerModel.TrainingFund }.Where(f => _model.Balance(LedgerModel.WorkerAccount(w, f)) != 0))
                {
                    expectedFunds[fund] = Pence(_model.Balance(LedgerModel.WorkerAccount(w, fund)));
                }

                Assert.Equal(expectedFunds, funds);
            }

            var report = await Ledger.VerifyAsync(KeysetFunds);
            Assert.True(report.IsValid, string.Join("\n", report.Problems));
        }

        private ModelRequest Request(string key, ModelStep step)
        {
            switch (step.Op)
            {
                case < 15:
                    return new ContributeRequest(key, (ContributionSource)(1 + (step.A % 4)), step.B % Workers, 1 + (step.C % 200));
                case < 30:
                    return new WithdrawRequest(key, step.A % Workers, [.. Enumerable.Range(0, 1 + (step.B % 3))
                        .Select(i => ((step.C + i) % KeysetCount, Denominations[(step.B + (i * 5)) % Denominations.Length]))]);
                case < 50:
                    if (_issued.Count == 0 || step.C % 10 == 0)
                    {
                        // A coin the ledger never issued (the protocol would reject its signature; the ledger bounds it by the outstanding value).
                        return new DepositRequest(key, step.A % Providers, [(1_000_000 + step.B, step.C % KeysetCount, Denominations[step.B % Denominations.Length])]);
                    }

                    return new DepositRequest(key, step.A % Providers, Pick(step.B, step.C));
                case < 58 when _issued.Count > 0:
                {
                    var inputs = Pick(step.B, step.C);
                    return new SwapRequest(key, inputs, SwapOutputs(inputs, step));
                }

                case < 61 when step.C % 3 == 0:
                    return new ExpireRequest(key, step.A % KeysetCount);
                case < 61 when _history.OfType<WithdrawRequest>().Any():
                {
                    // A withdrawal's reversal, sometimes naming the wrong worker or amount (refused, not stored).
                    var withdrawals = _history.OfType<WithdrawRequest>().ToArray();
                    var w = withdrawals[step.A % withdrawals.Length];
                    int worker = step.B % 10 == 1 ? (w.Worker + 1) % Workers : w.Worker;
                    long amount = w.Coins.Sum(c => c.Value) + (step.B % 10 == 2 ? 1 : 0);
                    return new ReverseRequest(SchemeLedger.ReversalKey(Key(w.Key)).Value, w.Key, worker, amount);
                }

                case < 67 when step.Op >= 64:
                {
                    // A payout of part or all of the payable, sometimes one unit more than it (refused).
                    int provider = step.A % Providers;
                    long payable = _model.Balance(LedgerAccount.Provider(Provider(provider)));
                    long amount = step.C % 4 == 0 || payable == 0 ? payable + 1 : 1 + (step.B % payable);
                    return new PayoutRequest(key, provider, amount);
                }

                case < 67 when step.C % 2 == 1:
                {
                    // A provider's refund out of its payable, sometimes more than it holds (refused, not stored).
                    long value = 1 + (step.B % 80);
                    long split = value > 1 && step.B % 3 == 0 ? 1 + (step.A % (value - 1)) : 0;
                    (int, long)[] outputs = split == 0
                        ? [(step.A % KeysetCount, value)]
                        : [(step.A % KeysetCount, split), ((step.A + 1) % KeysetCount, value - split)];
                    return new RefundRequest(key, step.B % Providers, outputs);
                }

                case < 67:
                    return new AllocateRequest(key, step.A % 2 == 0 ? null : step.B % Workers, step.C % 3 == 2 ? null : step.C % Providers, 1 + (step.B % 60), step.A % 4 == 3 ? LedgerModel.TrainingFund : LedgerModel.GeneralFund);
                default:
                    return new ContributeRequest(key, ContributionSource.Employer, step.A % Workers, 1 + (step.B % 100));
            }
        }

        private static readonly Dictionary<KeysetId, string> KeysetFunds = Enumerable.Range(0, KeysetCount).ToDictionary(Keyset, LedgerModel.KeysetFund);

        // A swap's outputs keep each fund of its inputs (the swap handler refuses any other, docs/PROTOCOL.md 5.22):
        // training inputs become training coins, general inputs one or two general keysets' coins.
        private static (int, long)[] SwapOutputs((long Coin, int Keyset, long Value)[] inputs, ModelStep step)
        {
            long training = inputs.Where(c => c.Keyset == LedgerModel.TrainingKeyset).Sum(c => c.Value);
            long general = inputs.Sum(c => c.Value) - training + (step.C % 10 == 0 ? 1 : 0);
            long split = general > 1 ? 1 + (step.A % (general - 1)) : 0;
            var outputs = new List<(int, long)>();
            if (training > 0)
            {
                outputs.Add((LedgerModel.TrainingKeyset, training));
            }

            if (split > 0)
            {
                outputs.Add((step.A % LedgerModel.TrainingKeyset, split));
                outputs.Add(((step.A + 1) % LedgerModel.TrainingKeyset, general - split));
            }
            else if (general > 0)
            {
                outputs.Add((step.A % LedgerModel.TrainingKeyset, general));
            }

            return [.. outputs];
        }

        private (long Coin, int Keyset, long Value)[] Pick(int count, int start) =>
            Enumerable.Range(0, 1 + (count % 3)).Select(i => _issued[(start + (i * 7)) % _issued.Count]).Distinct().ToArray();

        private async Task ExecuteAsync(ModelRequest request)
        {
            var expected = _model.Apply(request);
            var actual = await SendAsync(request);
            Compare(expected, actual);
            Remember(request, expected);
        }

        private async Task ExecuteWithFaultAsync(ModelRequest request, StoreFault fault)
        {
            store.NextFault = fault;
            LedgerResult? completed = null;
            try
            {
                completed = await SendAsync(request);
            }
            catch (LedgerStoreException) when (store.Fired)
            {
                // The injected failure: the caller sees no response.
            }

            if (!store.Fired)
            {
                // An append fault cannot fire for a refusal, which writes no entry: the operation simply completed.
                var expectedPlain = _model.Apply(request);
                Compare(expectedPlain, completed!);
                Remember(request, expectedPlain);
                return;
            }

            Assert.Null(completed);
            if (fault == StoreFault.AfterCommit)
            {
                _ = _model.Apply(request);
            }

            // The client retries with the same key: after a commit the stored result comes back; otherwise it is applied now.
            var expected = _model.Apply(request);
            var retry = await SendAsync(request);
            Compare(expected, retry);
            Assert.Equal(fault == StoreFault.AfterCommit, retry.IsReplay);
            Remember(request, expected);
        }

        private void Remember(ModelRequest request, ModelOutcome outcome)
        {
            _history.Add(request);
            if (outcome.Status == LedgerStatus.Applied && !outcome.IsReplay)
            {
                var outputs = request switch
                {
                    WithdrawRequest w => w.Coins,
                    SwapRequest s => s.Outputs,
                    RefundRequest f => f.Outputs,
                    _ => [],
                };
                foreach (var (keyset, value) in outputs)
                {
                    _issued.Add((_nextCoin++, keyset, value));
                }
            }
        }

        private static void Compare(ModelOutcome expected, LedgerResult actual)
        {
            Assert.Equal(expected.Status, actual.Status);
            Assert.Equal(expected.Entry, actual.Entry?.Sequence);
            Assert.Equal(expected.Conflicts, actual.Conflicts);
            Assert.Equal(expected.IsReplay, actual.IsReplay);
        }

        private Task<LedgerResult> SendAsync(ModelRequest request) => request switch
        {
            ContributeRequest c => Ledger.ContributeAsync(Key(c.Key), c.Source, Worker(c.Worker), Pence(c.Amount), LedgerModel.SourceFund(c.Source)),
            WithdrawRequest w => Ledger.WithdrawAsync(Key(w.Key), Worker(w.Worker), [.. w.Coins.Select(c => new KeysetAmount(Keyset(c.Keyset), Pence(c.Value), LedgerModel.KeysetFund(c.Keyset)))]),
            DepositRequest d => Ledger.DepositAsync(Key(d.Key), Provider(d.Provider), [.. d.Coins.Select(c => Spent(c.Coin, c.Keyset, c.Value))]),
            SwapRequest s => Ledger.SwapAsync(Key(s.Key), [.. s.Inputs.Select(c => Spent(c.Coin, c.Keyset, c.Value))], [.. s.Outputs.Select(c => Issue(c.Keyset, c.Value))]),
            ExpireRequest e => Ledger.ExpireAsync(Key(e.Key), Keyset(e.Keyset)),
            PayoutRequest p => Ledger.PayoutAsync(Key(p.Key), Provider(p.Provider), Pence(p.Amount)),
            ReverseRequest r => Ledger.ReverseWithdrawalAsync(Key(r.Withdrawal), Worker(r.Worker), Pence(r.Amount)),
            RefundRequest f => Ledger.RefundAsync(Key(f.Key), Provider(f.Provider), [.. f.Outputs.Select(o => Issue(o.Keyset, o.Value))]),
            AllocateRequest a => Ledger.AllocateDefaultAsync(
                Key(a.Key),
                a.FromWorker is int w2 ? LedgerAccount.WorkerFund(Worker(w2), a.Fund) : LedgerAccount.Expired,
                a.ToProvider is int p ? LedgerAccount.Provider(Provider(p)) : LedgerAccount.DefaultPool,
                Pence(a.Amount)),
            _ => throw new ArgumentOutOfRangeException(nameof(request)),
        };
    }
}
