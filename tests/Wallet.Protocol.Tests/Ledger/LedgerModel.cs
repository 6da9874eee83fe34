using Wallet.Protocol.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// The reference model of the ledger: plain dictionaries and the rules of DESIGN.md section 4 written as
/// directly as possible, with no journal, hashing, encoding or store. The model test checks the real ledger
/// against it after every step.
/// </summary>
public sealed class LedgerModel
{
    private readonly Dictionary<string, (string Description, ModelOutcome Outcome)> _outcomes = [];
    private readonly Dictionary<string, WithdrawRequest> _withdrawals = [];

    public Dictionary<LedgerAccount, long> Balances { get; } = [];

    public Dictionary<CoinId, long> Spent { get; } = [];

    public Dictionary<KeysetId, KeysetTotals> Keysets { get; } = [];

    /// <summary>Per provider: value credited (deposits and default allocations) and value refunded (docs/PROTOCOL.md 5.17).</summary>
    public Dictionary<int, (long Credited, long Refunded)> Providers { get; } = [];

    public long Sequence { get; private set; }

    /// <summary>Per provider, everything ever credited to its payable (deposits and default allocations).</summary>
    public Dictionary<int, long> Credited { get; } = [];

    /// <summary>Per provider, everything ever paid out of its payable.</summary>
    public Dictionary<int, long> PaidOut { get; } = [];

    public ModelOutcome Apply(ModelRequest request)
    {
        if (_outcomes.TryGetValue(request.Key, out var stored))
        {
            return stored.Description == request.Description
                ? stored.Outcome with { IsReplay = true }
                : new ModelOutcome(LedgerStatus.IdempotencyKeyReused, null, [], false);
        }

        var (status, conflicts) = Decide(request);
        long? entry = null;
        if (status == LedgerStatus.Applied)
        {
            entry = ++Sequence;
            Effect(request, entry.Value);
        }

        var outcome = new ModelOutcome(status, entry, conflicts, false);
        if (status == LedgerStatus.UnknownWithdrawal || (request is RefundRequest && status == LedgerStatus.InsufficientFunds))
        {
            // Not stored: the reversal may be asked again once the withdrawal exists.
            return outcome;
        }

        if (status == LedgerStatus.Applied && request is WithdrawRequest withdrawal)
        {
            _withdrawals[request.Key] = withdrawal;
        }

        _outcomes[request.Key] = (request.Description, outcome);
        return outcome;
    }

    public long Balance(LedgerAccount account) => Balances.GetValueOrDefault(account);

    private (LedgerStatus, IReadOnlyList<CoinConflict>) Decide(ModelRequest request)
    {
        switch (request)
        {
            case WithdrawRequest w:
                if (w.Coins.Any(c => IsExpired(c.Keyset)))
                {
                    return (LedgerStatus.KeysetExpired, []);
                }

                // docs/PROTOCOL.md 5.22: each fund of the coins is paid from the worker's sub-balance in that fund only.
                if (w.Coins.GroupBy(c => KeysetFund(c.Keyset)).Any(g => Balance(WorkerAccount(w.Worker, g.Key)) < g.Sum(c => c.Value)))
                {
                    long held = Balances.Where(b => b.Key.GetWorker() == LedgerFixtures.Worker(w.Worker)).Sum(b => b.Value);
                    return (held >= w.Coins.Sum(c => c.Value) ? LedgerStatus.FundRestricted : LedgerStatus.InsufficientFunds, []);
                }

                return (LedgerStatus.Applied, []);
            case DepositRequest d:
            {
                if (d.Coins.Any(c => IsExpired(c.Keyset)))
                {
                    return (LedgerStatus.KeysetExpired, []);
                }

                var conflicts = ConflictsOf(d.Coins);
                var accepted = d.Coins.Where(c => !Spent.ContainsKey(LedgerFixtures.Coin(c.Coin))).ToArray();
                if (accepted.Length == 0)
                {
                    return (LedgerStatus.DoubleSpend, conflicts);
                }

                return ExceedsOutstanding(accepted) ? (LedgerStatus.OutstandingExceeded, []) : (LedgerStatus.Applied, conflicts);
            }

            case SwapRequest s:
            {
                if (s.Inputs.Sum(c => c.Value) != s.Outputs.Sum(c => c.Value))
                {
                    return (LedgerStatus.ValueMismatch, []);
                }

                if (s.Inputs.Any(c => IsExpired(c.Keyset)) || s.Outputs.Any(c => IsExpired(c.Keyset)))
                {
                    return (LedgerStatus.KeysetExpired, []);
                }

                var conflicts = ConflictsOf(s.Inputs);
                if (conflicts.Count > 0)
                {
                    return (LedgerStatus.DoubleSpend, conflicts);
                }

                return ExceedsOutstanding(s.Inputs) ? (LedgerStatus.OutstandingExceeded, []) : (LedgerStatus.Applied, []);
            }

            case ExpireRequest e:
                return IsExpired(e.Keyset) ? (LedgerStatus.KeysetExpired, []) : (LedgerStatus.Applied, []);
            case AllocateRequest a:
                return Balance(a.FromWorker is int w2 ? WorkerAccount(w2, a.Fund) : LedgerAccount.Expired) < a.Amount
                    ? (LedgerStatus.InsufficientFunds, [])
                    : (LedgerStatus.Applied, []);
            case PayoutRequest p:
                return Balance(LedgerAccount.Provider(LedgerFixtures.Provider(p.Provider))) < p.Amount
                    ? (LedgerStatus.InsufficientFunds, [])
                    : (LedgerStatus.Applied, []);
            case ReverseRequest r:
            {
                if (!_withdrawals.TryGetValue(r.Withdrawal, out var w) || w.Worker != r.Worker || w.Coins.Sum(c => c.Value) != r.Amount)
                {
                    return (LedgerStatus.UnknownWithdrawal, []);
                }

                if (w.Coins.Any(c => IsExpired(c.Keyset)))
                {
                    return (LedgerStatus.KeysetExpired, []);
                }

                return w.Coins.GroupBy(c => c.Keyset).Any(g => g.Sum(c => c.Value) > Balance(Outstanding(g.Key)))
                    ? (LedgerStatus.OutstandingExceeded, [])
                    : (LedgerStatus.Applied, []);
            }

            case RefundRequest f:
                if (f.Outputs.Any(o => IsExpired(o.Keyset)))
                {
                    return (LedgerStatus.KeysetExpired, []);
                }

                return Balance(LedgerAccount.Provider(LedgerFixtures.Provider(f.Provider))) < f.Outputs.Sum(o => o.Value)
                    ? (LedgerStatus.InsufficientFunds, [])
                    : (LedgerStatus.Applied, []);
            default:
                return (LedgerStatus.Applied, []);
        }
    }

    private void Effect(ModelRequest request, long entry)
    {
        switch (request)
        {
            case ContributeRequest c:
                Move(LedgerAccount.Contribution(c.Source), WorkerAccount(c.Worker, SourceFund(c.Source)), c.Amount);
                break;
            case WithdrawRequest w:
                foreach (var (keyset, value) in w.Coins)
                {
                    Move(WorkerAccount(w.Worker, KeysetFund(keyset)), Outstanding(keyset), value);
                    Count(keyset, issued: value);
                }

                break;
            case DepositRequest d:
                foreach (var coin in d.Coins.Where(c => !Spent.ContainsKey(LedgerFixtures.Coin(c.Coin))))
                {
                    Spent[LedgerFixtures.Coin(coin.Coin)] = entry;
                    Move(Outstanding(coin.Keyset), LedgerAccount.Provider(LedgerFixtures.Provider(d.Provider)), coin.Value);
                    Credited[d.Provider] = Credited.GetValueOrDefault(d.Provider) + coin.Value;
                    Count(coin.Keyset, deposited: coin.Value);
                    Credit(d.Provider, coin.Value, 0);
                }

                break;
            case SwapRequest s:
                foreach (var coin in s.Inputs)
                {
                    Spent[LedgerFixtures.Coin(coin.Coin)] = entry;
                    Move(Outstanding(coin.Keyset), LedgerAccount.DefaultPool, coin.Value);
                    Count(coin.Keyset, swappedIn: coin.Value);
                }

                foreach (var (keyset, value) in s.Outputs)
                {
                    Move(LedgerAccount.DefaultPool, Outstanding(keyset), value);
                    Count(keyset, issued: value);
                }

                break;
            case ExpireRequest e:
                long outstanding = Balance(Outstanding(e.Keyset));
                Move(Outstanding(e.Keyset), LedgerAccount.Expired, outstanding);
                Count(e.Keyset, expired: outstanding, closes: true);
                break;
            case ReverseRequest r:
                foreach (var group in _withdrawals[r.Withdrawal].Coins.GroupBy(c => c.Keyset))
                {
                    long value = group.Sum(c => c.Value);
                    Move(Outstanding(group.Key), WorkerAccount(r.Worker, KeysetFund(group.Key)), value);
                    Count(group.Key, reversed: value);
                }

                break;
            case AllocateRequest a:
                Move(
                    a.FromWorker is int w3 ? WorkerAccount(w3, a.Fund) : LedgerAccount.Expired,
                    a.ToProvider is int p ? LedgerAccount.Provider(LedgerFixtures.Provider(p)) : LedgerAccount.DefaultPool,
                    a.Amount);
                if (a.ToProvider is int credited)
                {
                    Credit(credited, a.Amount, 0);
                    Credited[credited] = Credited.GetValueOrDefault(credited) + a.Amount;
                }

                break;
            case RefundRequest f:
                foreach (var (keyset, value) in f.Outputs)
                {
                    Move(LedgerAccount.Provider(LedgerFixtures.Provider(f.Provider)), Outstanding(keyset), value);
                    Count(keyset, issued: value);
                }

                Credit(f.Provider, 0, f.Outputs.Sum(o => o.Value));
                break;
            case PayoutRequest payout:
                Move(LedgerAccount.Provider(LedgerFixtures.Provider(payout.Provider)), LedgerAccount.Payouts(LedgerFixtures.Provider(payout.Provider)), payout.Amount);
                PaidOut[payout.Provider] = PaidOut.GetValueOrDefault(payout.Provider) + payout.Amount;
                break;
        }
    }

    private List<CoinConflict> ConflictsOf((long Coin, int Keyset, long Value)[] coins) =>
        coins.Select(c => LedgerFixtures.Coin(c.Coin))
            .Where(Spent.ContainsKey)
            .Select(c => new CoinConflict(c, Spent[c]))
            .OrderBy(c => c.Coin)
            .ToList();

    private bool ExceedsOutstanding((long Coin, int Keyset, long Value)[] coins) =>
        coins.GroupBy(c => c.Keyset).Any(g => g.Sum(c => c.Value) > Balance(Outstanding(g.Key)));

    private void Credit(int provider, long credited, long refunded)
    {
        var (c, r) = Providers.GetValueOrDefault(provider);
        Providers[provider] = (c + credited, r + refunded);
    }

    private bool IsExpired(int keyset) => Keysets.TryGetValue(LedgerFixtures.Keyset(keyset), out var t) && t.IsExpired;

    private void Move(LedgerAccount from, LedgerAccount to, long value)
    {
        Balances[from] = Balance(from) - value;
        Balances[to] = Balance(to) + value;
    }

    private void Count(int keyset, long issued = 0, long deposited = 0, long swappedIn = 0, long expired = 0, long reversed = 0, bool closes = false)
    {
        var id = LedgerFixtures.Keyset(keyset);
        var t = Keysets.TryGetValue(id, out var existing) ? existing : KeysetTotals.Empty(id);
        Keysets[id] = new KeysetTotals(
            id,
            Amount.FromMinorUnits(t.Issued.MinorUnits + issued),
            Amount.FromMinorUnits(t.Deposited.MinorUnits + deposited),
            Amount.FromMinorUnits(t.SwappedIn.MinorUnits + swappedIn),
            Amount.FromMinorUnits(t.Expired.MinorUnits + expired),
            Amount.FromMinorUnits(t.Reversed.MinorUnits + reversed),
            t.IsExpired || closes);
    }

    /// <summary>The model's funds table (docs/PROTOCOL.md 5.22): the levy goes to training, every other source to general.</summary>
    public static string SourceFund(ContributionSource source) => source == ContributionSource.Levy ? TrainingFund : GeneralFund;

    /// <summary>The model's keysets: the last one is a training keyset, the others general.</summary>
    public static string KeysetFund(int keyset) => keyset == TrainingKeyset ? TrainingFund : GeneralFund;

    public const string GeneralFund = "general";

    public const string TrainingFund = "training";

    public const int TrainingKeyset = 3;

    public static LedgerAccount WorkerAccount(int worker, string fund) => LedgerAccount.WorkerFund(LedgerFixtures.Worker(worker), fund);

    private static LedgerAccount Outstanding(int keyset) => LedgerAccount.Outstanding(LedgerFixtures.Keyset(keyset));
}
