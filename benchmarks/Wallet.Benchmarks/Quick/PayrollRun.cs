using System.Globalization;
using Wallet.Benchmarks.Operators;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// The payroll measurement (docs/PROTOCOL.md 5.21) both stores run: batches of <see cref="Lines"/> contribution lines
/// for <see cref="Workers"/> registered workers through the operator API on loopback, against the store's bare inserts
/// of the same number of rows per transaction in alternating rounds; then the same batches in process, and straight
/// into the ledger, which show where the time goes.
/// </summary>
internal static class PayrollRun
{
    public const int Lines = 1000;
    public const int Workers = 500;

    /// <summary>Registers the workers on <paramref name="scheme"/>, measures, and prints the lines and the ratio note.</summary>
    /// <param name="report">Where the figures go.</param>
    /// <param name="store">The store's name in the lines (<c>sqlite</c>, <c>postgres</c>).</param>
    /// <param name="scheme">The scheme, its ledger and stores on the store measured, with its operation transactions.</param>
    /// <param name="ledger">The scheme's ledger.</param>
    /// <param name="bareBatch">Inserts <see cref="Lines"/> bare rows in one transaction, from the given row number.</param>
    /// <param name="ratioLabel">The ratio note's name, which starts <c>payroll-batch</c>.</param>
    public static void Measure(QuickReporter report, string store, BenefitScheme scheme, SchemeLedger ledger, Action<long> bareBatch, string ratioLabel)
    {
        using var accountKey = Ed25519SigningKey.Generate();
        var workers = Enumerable.Range(0, Workers).Select(i => new AccountId($"payroll-worker-{i}")).ToArray();
        foreach (var worker in workers)
        {
            scheme.RegisterAccountAsync(worker, accountKey.PublicKey).GetAwaiter().GetResult();
        }

        var (app, http, client) = OperatorBenchmarks.StartLoopback(scheme);
        try
        {
            long next = 0;
            PayrollLine[] Batch()
            {
                long first = next;
                next += Lines;
                return [.. Enumerable.Range(0, Lines).Select(i => new PayrollLine(new AccountId("employer-1"), new IdempotencyKey($"line-{first + i}"), ContributionSource.Employer, workers[(first + i) % Workers], Amount.FromMinorUnits(100 + i)))];
            }

            static void Check(IReadOnlyList<PayrollLineResult> results)
            {
                if (results.Count != Lines || results.Any(r => !r.Succeeded || r.IsReplay))
                {
                    throw new InvalidOperationException("a payroll line was not applied");
                }
            }

            long bareRows = 0;
            void BareBatch()
            {
                bareBatch(bareRows);
                bareRows += Lines;
            }

            var (loopback, bareRate, ratio) = QuickReporter.MeasurePaired(
                () => Check(client.ContributeBatchAsync(Batch()).GetAwaiter().GetResult()),
                BareBatch,
                rounds: 7,
                roundTime: TimeSpan.FromMilliseconds(300),
                warmUp: TimeSpan.FromMilliseconds(300));
            var (inProcess, _, inProcessRatio) = QuickReporter.MeasurePaired(
                () => Check(scheme.ContributeBatchAsync(Batch()).GetAwaiter().GetResult()),
                BareBatch,
                rounds: 3,
                roundTime: TimeSpan.FromMilliseconds(300),
                warmUp: TimeSpan.FromMilliseconds(100));
            double ledgerOnly = QuickReporter.Measure(
                () => ledger.ContributeBatchAsync([.. Batch().Select(l => new ContributionLine(l.LedgerKey, l.Source, l.Worker, l.Amount))]).GetAwaiter().GetResult(),
                rounds: 3,
                roundTime: TimeSpan.FromMilliseconds(300),
                warmUp: TimeSpan.FromMilliseconds(100));

            long entries = ledger.GetHeadAsync().GetAwaiter().GetResult().Sequence;
            report.Line($"payroll-batch{Lines}", entries, $"loopback-{store}", loopback * Lines);
            report.Line($"payroll-batch{Lines}", entries, $"in-process-{store}", inProcess * Lines);
            report.Line($"ledger-contribute-batch{Lines}", entries, store, ledgerOnly * Lines);
            report.Line($"{store}-bare-insert-batch{Lines}", bareRows, store, bareRate * Lines);
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"ratio {ratioLabel} loopback / {store}-bare-insert-batch{Lines} = {ratio:F2} (lines per second, median of 7 alternating rounds; target >= 0.5); in process {inProcessRatio:F2}; size = journal entries / bare rows at the end"));
        }
        finally
        {
            http.Dispose();
            app.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)app).Dispose();
        }
    }
}
