namespace Wallet.Protocol.Ledger;

// Ring-fenced funds (docs/PROTOCOL.md 5.22): a worker's sub-balance per fund, contributions into one fund, withdrawals
// debiting only the coins' fund, and the per-fund rules VerifyAsync checks.
public sealed partial class SchemeLedger
{
    /// <summary>Credits one fund of a worker's account from a contribution source (docs/PROTOCOL.md section 5.22).</summary>
    /// <param name="key">The request's idempotency key.</param>
    /// <param name="source">The source type.</param>
    /// <param name="worker">The worker credited.</param>
    /// <param name="amount">The amount, more than zero.</param>
    /// <param name="fund">The fund credited, from the funds table in force; <c>general</c> is exactly <see cref="ContributeAsync(IdempotencyKey, ContributionSource, AccountId, Amount, CancellationToken)"/>.</param>
    /// <param name="cancellationToken">Cancels the operation; if it was already committed, a retry with the same key returns its result.</param>
    /// <returns><see cref="LedgerStatus.Applied"/>, <see cref="LedgerStatus.AmountOverflow"/> or <see cref="LedgerStatus.IdempotencyKeyReused"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="worker"/> or <paramref name="fund"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero or <paramref name="source"/> is undefined.</exception>
    /// <exception cref="ArgumentException"><paramref name="fund"/> is not a fund token.</exception>
    /// <exception cref="LedgerStoreException">The store failed; nothing moved unless the commit completed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public Task<LedgerResult> ContributeAsync(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount, string fund, CancellationToken cancellationToken = default)
    {
        var line = new ContributionLine(key, source, worker, amount, fund);
        return ExecuteAsync(key, EntryKind.Contribution, ContributionRequest(line), ContributionDecision(line), cancellationToken);
    }

    /// <summary>A worker's committed balance in each fund it holds (docs/PROTOCOL.md section 5.22).</summary>
    /// <param name="worker">The worker.</param>
    /// <param name="cancellationToken">Cancels the read.</param>
    /// <returns>
    /// The sub-balances by fund token in ordinal order: always <c>general</c> (zero when empty), and every other fund
    /// with a non-zero sub-balance.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="worker"/> is <see langword="null"/>.</exception>
    /// <exception cref="LedgerStoreException">The store failed.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public async Task<IReadOnlyDictionary<string, Amount>> GetFundBalancesAsync(AccountId worker, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(worker);
        await using var tx = await _store.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        var funds = new SortedDictionary<string, Amount>(StringComparer.Ordinal) { [LedgerAccount.GeneralFund] = Amount.Zero };
        foreach (var (fund, balance) in await ReadFundsAsync(tx, worker, cancellationToken).ConfigureAwait(false))
        {
            funds[fund] = Amount.FromMinorUnits(balance);
        }

        return funds;
    }

    // The worker's non-zero sub-balances, by fund.
    private static async ValueTask<List<(string Fund, long Balance)>> ReadFundsAsync(ILedgerReadTransaction tx, AccountId worker, CancellationToken ct)
    {
        var funds = new List<(string, long)>();
        // The store streams exactly this worker's non-zero sub-balances (the store contract checks it).
        await foreach (var balance in tx.ReadWorkerBalancesAsync(worker, ct).ConfigureAwait(false))
        {
            funds.Add((balance.Account.GetFund()!, balance.Balance));
        }

        return funds;
    }

    // A withdrawal debits, per fund of its coins, the worker's sub-balance in that fund; a short fund refuses it all.
    private static async ValueTask<Plan> WithdrawalPlanAsync(ILedgerWriteTransaction tx, AccountId worker, IReadOnlyList<KeysetAmount> coins, CancellationToken ct)
    {
        var postings = new List<Posting>();
        bool refused = false;
        foreach (var fund in coins.GroupBy(c => c.Fund, StringComparer.Ordinal))
        {
            var account = LedgerAccount.WorkerFund(worker, fund.Key);
            long need = Amount.Sum(fund.Select(c => c.Value)).MinorUnits;
            refused |= await tx.GetBalanceAsync(account, ct).ConfigureAwait(false) < need;
            postings.Add(new Posting(account, -need));
        }

        if (refused)
        {
            // Only a refusal pays for reading every sub-balance: it tells ring-fenced money from no money.
            Int128 held = 0;
            foreach (var (_, balance) in await ReadFundsAsync(tx, worker, ct).ConfigureAwait(false))
            {
                held += balance;
            }

            return Plan.Refuse(held >= Amount.Sum(coins.Select(c => c.Value)).MinorUnits ? LedgerStatus.FundRestricted : LedgerStatus.InsufficientFunds);
        }

        postings.AddRange(IssuePostings(coins));
        return Plan.Apply(postings);
    }

    // The per-fund rules of one entry (docs/ledger.md, "Funds"): value never moves between two funds of a worker inside
    // an entry, and, where the keysets' funds are known, every withdrawal, reversal and swap is balanced per fund over
    // the worker sub-balances and the outstanding accounts it touches.
    private static void CheckFunds(JournalEntry entry, IReadOnlyDictionary<KeysetId, string>? keysetFunds, Action<string> problem)
    {
        var workerFunds = entry.Postings.Where(p => p.Account.GetFund() is not null).ToArray();
        if (workerFunds.Any(p => p.Delta < 0) && workerFunds.Any(p => p.Delta > 0)
            && workerFunds.Select(p => p.Account.GetFund()).Distinct(StringComparer.Ordinal).Skip(1).Any())
        {
            problem($"entry {entry.Sequence} moves value between funds of a worker");
        }

        if (keysetFunds is null || entry.Kind is not (EntryKind.Withdrawal or EntryKind.WithdrawalReversal or EntryKind.Swap))
        {
            return;
        }

        var perFund = new SortedDictionary<string, Int128>(StringComparer.Ordinal);
        foreach (var posting in entry.Postings)
        {
            string? fund = posting.Account.GetKeyset() is { } keyset
                ? keysetFunds.GetValueOrDefault(keyset, LedgerAccount.GeneralFund)
                : posting.Account.GetFund();
            if (fund is not null)
            {
                perFund[fund] = perFund.GetValueOrDefault(fund) + posting.Delta;
            }
        }

        foreach (var (fund, sum) in perFund.Where(f => f.Value != 0))
        {
            problem($"entry {entry.Sequence} is not balanced in fund {fund} ({sum})");
        }
    }
}
