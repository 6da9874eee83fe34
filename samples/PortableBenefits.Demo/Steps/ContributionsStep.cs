using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Ledger;
using Wallet.Protocol;
using Wallet.Protocol.Operators;

namespace PortableBenefits.Demo.Steps;

/// <summary>Payroll day: employers, workers, the training levy and the state top-up credit workers' accounts (flow 1).</summary>
internal sealed class ContributionsStep(uint epoch) : IPilotStep
{
    public const long EmployerMonthly = 1000;
    public const long WorkerMonthly = 200;
    public const long StateTopUp = 300;
    public const long TrainingLevy = 500;

    /// <summary>The most lines the pilot puts in one payroll batch.</summary>
    private const int BatchLines = 1000;

    public string Title => $"Epoch {epoch}: contributions from employers, workers, the training levy and the state";

    public static IEnumerable<(ContributionSource Source, long Amount)> For(PilotWorker worker)
    {
        yield return (ContributionSource.Employer, EmployerMonthly);
        if (worker.SelfContributes)
        {
            yield return (ContributionSource.Worker, WorkerMonthly);
        }

        if (worker.Employer.PaysTrainingLevy)
        {
            yield return (ContributionSource.Levy, TrainingLevy);
        }

        if (worker.StateTopUp)
        {
            yield return (ContributionSource.State, StateTopUp);
        }
    }

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        // Each employer sends its payroll as batches (docs/PROTOCOL.md 5.21): one operator call and one ledger
        // transaction per batch, each line idempotent under the employer's own line key.
        var batches = world.Workers
            .SelectMany(worker => For(worker).Select(c => (Worker: worker, Line: new PayrollLine(
                new AccountId(worker.EmployerIn(epoch).Name), new IdempotencyKey($"{epoch}-{c.Source}-{worker.Account}"), c.Source, worker.Account, Amount.FromMinorUnits(c.Amount)))))
            .GroupBy(x => x.Worker.EmployerIn(epoch).Name)
            .SelectMany(employer => employer.Chunk(BatchLines))
            .ToArray();
        var progress = new Progress("credited", world.Workers.Count);
        int failures = 0;
        int lines = 0;
        await Parallel.ForEachAsync(batches, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (batch, ct) =>
        {
            var results = await world.Operator.ContributeBatchAsync([.. batch.Select(x => x.Line)], ct);
            Interlocked.Add(ref lines, batch.Length);
            for (int i = 0; i < batch.Length; i++)
            {
                var (worker, line) = batch[i];
                if (line.Source == ContributionSource.Employer)
                {
                    progress.Advance();
                }

                if (!results[i].Succeeded)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                world.Figures.Add($"source:{line.Source}", line.Amount.MinorUnits);
                if (line.Source == ContributionSource.Employer && worker == world.Workers[0] && epoch == 1)
                {
                    world.Figures.SampleRows["employer"] =
                        [$"{worker.Employer.Name} payroll", $"{worker.Account} {Money.Format(line.Amount.MinorUnits)} on {world.Clock.Now:yyyy-MM-dd}", "which worker, how much, when"];
                }
            }
        });

        world.Checks.Check("contributions", $"epoch {epoch}: every payroll line was applied by the ledger ({lines} lines in {batches.Length} batches)", failures == 0, $"{failures} refused");
    }
}
