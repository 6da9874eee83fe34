using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Ledger;
using Wallet.Protocol;

namespace PortableBenefits.Demo.Steps;

/// <summary>Payroll day: employers, workers, the training levy and the state top-up credit workers' accounts (flow 1).</summary>
internal sealed class ContributionsStep(uint epoch) : IPilotStep
{
    public const long EmployerMonthly = 1000;
    public const long WorkerMonthly = 200;
    public const long StateTopUp = 300;
    public const long TrainingLevy = 500;

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
        var progress = new Progress("credited", world.Workers.Count);
        int failures = 0;
        await Parallel.ForEachAsync(world.Workers, new ParallelOptions { MaxDegreeOfParallelism = 2, CancellationToken = cancellationToken }, async (worker, ct) =>
        {
            foreach (var (source, amount) in For(worker))
            {
                var key = new IdempotencyKey($"payroll-{epoch}-{source}-{worker.Account}");
                var result = await world.Operator.ContributeAsync(key, source, worker.Account, Amount.FromMinorUnits(amount), ct);
                if (!result.Succeeded)
                {
                    Interlocked.Increment(ref failures);
                    continue;
                }

                world.Figures.Add($"source:{source}", amount);
                if (source == ContributionSource.Employer && worker == world.Workers[0] && epoch == 1)
                {
                    world.Figures.SampleRows["employer"] =
                        [$"{worker.Employer.Name} payroll", $"{worker.Account} {Money.Format(amount)} on {world.Clock.Now:yyyy-MM-dd}", "which worker, how much, when"];
                }
            }

            progress.Advance();
        });

        world.Checks.Check("contributions", $"epoch {epoch}: every contribution was applied by the ledger", failures == 0, $"{failures} refused");
    }
}
