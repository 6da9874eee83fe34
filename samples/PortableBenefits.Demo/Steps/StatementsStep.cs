using System.Collections.Concurrent;
using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Statements;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// Every worker's app asks for its statement and its contribution receipts (docs/PROTOCOL.md 5.23), each request signed
/// with the account key, checks the scheme's signatures and reconciles the two: the same contributions, the balance the
/// ledger holds, the payroll's contributions by source and contributor, and the withdrawals the app made. Another
/// account's key is refused.
/// </summary>
internal sealed class StatementsStep(int epochs) : IPilotStep
{
    public string Title => "Statements: every worker's app fetches its statement and receipts and reconciles them";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        // From a year before the pilot: a separately started scheme server's clock starts at real time and is moved to
        // the pilot's months only later, so its first payroll records carry that earlier day (as the funds table does).
        var from = PilotWorld.PilotStart.AddYears(-1);
        var to = world.Clock.Now.AddDays(1);
        int answered = 0, reconciled = 0, balances = 0, payroll = 0, withdrawals = 0;
        long receipts = 0;
        var failures = new ConcurrentQueue<string>();
        var mismatches = new ConcurrentQueue<string>();
        var progress = new Progress("statements", world.Workers.Count);
        await Parallel.ForEachAsync(world.Workers, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (worker, ct) =>
        {
            progress.Advance();
            var ask = worker.Wallet.PrepareStatementRequest(from, to);
            var askReceipts = worker.Wallet.PrepareReceiptsRequest(from, to);
            var statement = await world.Client.GetStatementAsync(ask, ct);
            var fetched = await world.Client.GetContributionReceiptsAsync(askReceipts, ct);
            if (statement.Statement is not { } answer || fetched.Status != StatementStatus.Answered || !answer.Verify(ask, world.SchemePublicKey))
            {
                failures.Enqueue($"{worker.Account}: {statement.Status}/{fetched.Status}");
                return;
            }

            Interlocked.Increment(ref answered);
            Interlocked.Add(ref receipts, fetched.Receipts.Count);
            var check = worker.Wallet.ReconcileStatement(ask, answer, askReceipts, fetched.Receipts);
            if (check.IsReconciled)
            {
                Interlocked.Increment(ref reconciled);
            }

            if (answer.GeneralBalance.MinorUnits == await world.Operator.GetBalanceAsync(LedgerAccount.Worker(worker.Account), ct))
            {
                Interlocked.Increment(ref balances);
            }

            var paid = Paid(worker).ToList();
            var listed = check.Totals.Select(t => (t.Source, t.Contributor?.Value, t.Total.MinorUnits)).ToList();
            if (paid.SequenceEqual(listed))
            {
                Interlocked.Increment(ref payroll);
            }
            else
            {
                mismatches.Enqueue($"{worker.Account}: paid [{string.Join(" ", paid)}], statement [{string.Join(" ", listed)}]");
            }

            if (answer.TotalWithdrawn.MinorUnits == worker.WithdrawnTotal)
            {
                Interlocked.Increment(ref withdrawals);
            }
        });

        // Only the account key may ask: a neighbour's key over the same account is refused, and nothing is answered.
        var (first, second) = (world.Workers[0], world.Workers[^1]);
        var forged = StatementRequest.Sign(first.Account, StatementRequestPurpose.Statement, from, to, world.Clock.Now, second.AccountKey);
        var refused = await world.Client.GetStatementAsync(forged, cancellationToken);

        int n = world.Workers.Count;
        string group = "statements";
        world.Checks.Check(group, $"every worker's app got its statement and receipts, signed by the scheme ({answered} of {n}, {receipts} receipts)", answered == n, string.Join("; ", failures.Take(3)));
        world.Checks.Check(group, "every statement lists exactly the contributions of the worker's receipts, with the same values", reconciled == n, $"{n - reconciled} differ");
        world.Checks.Check(group, "every statement's general balance is the ledger's balance of the account", balances == n, $"{n - balances} differ");
        world.Checks.Check(group, "contributions by source and contributor are what the payroll paid, employer by employer", payroll == n, $"{n - payroll} differ; {string.Join("; ", mismatches.Take(2))}");
        world.Checks.Check(group, "withdrawals on every statement add up to what the worker's app withdrew", withdrawals == n, $"{n - withdrawals} differ");
        world.Checks.Check(group, "a statement request signed with another account's key is refused, and answered with nothing", refused is { Status: StatementStatus.InvalidSignature, Statement: null }, refused.Status.ToString());
    }

    // What the pilot's payroll paid the worker over every epoch, by source and contributor, in the statement's order:
    // every line of an epoch comes from the employer the worker had in that epoch (movers change at their epoch), and a
    // second job's employer adds its own employer line each epoch (SecondJobPayrollStep); a late levy (FundsRefusalStep)
    // comes on top.
    private IEnumerable<(ContributionSource Source, string? Contributor, long Total)> Paid(PilotWorker worker) =>
        Enumerable.Range(1, epochs)
            .SelectMany(epoch => ContributionsStep.For(worker)
                .Select(c => (c.Source, Contributor: worker.EmployerIn((uint)epoch).Name, c.Amount))
                .Concat(worker.SecondEmployer is { } second ? [(ContributionSource.Employer, second.Name, ContributionsStep.EmployerMonthly)] : []))
            .Concat(worker.ExtraContributions)
            .GroupBy(c => (c.Source, c.Contributor))
            .OrderBy(g => g.Key.Source).ThenBy(g => g.Key.Contributor, StringComparer.Ordinal)
            .Select(g => (g.Key.Source, (string?)g.Key.Contributor, g.Sum(c => c.Amount)));
}
