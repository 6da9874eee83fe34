using PortableBenefits.Demo.Pilot;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// Payroll from second employers (PROTOCOL.md 5.21, 5.24): each second employer sends its lines as one batch with itself
/// as the contributor. Then the epoch's main employer lines of two-job workers and movers are sent again: each must come
/// back as a replay under the employer that should have paid this epoch (the old one before the move, the new one
/// from it), so the scheme holds them under that employer's key and nothing is applied twice.
/// </summary>
internal sealed class SecondJobPayrollStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: second employers' payroll; two-job workers and movers paid by the right employers";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var twoJobs = world.Workers.Where(w => w.SecondEmployer is not null).ToList();
        var movers = world.Workers.Where(w => w.NextEmployer is not null).ToList();
        int refused = 0;
        int lines = 0;
        foreach (var employer in twoJobs.GroupBy(w => w.SecondEmployer!.Name))
        {
            PayrollLine[] batch = [.. employer.Select(w => MainLine(w, employer.Key))];
            var results = await world.Operator.ContributeBatchAsync(batch, cancellationToken);
            refused += results.Count(r => !r.Succeeded || r.IsReplay);
            lines += batch.Length;
            foreach (var line in batch)
            {
                world.Figures.Add($"source:{line.Source}", line.Amount.MinorUnits);
            }
        }

        world.Checks.Check("jobs", $"epoch {epoch}: every second employer's payroll line was applied ({lines} lines)", refused == 0 && lines == twoJobs.Count, $"{refused} refused or replayed");

        // The main job's line again, under the employer that should have paid it this epoch: a replay, nothing moves.
        PayrollLine[] again = [.. twoJobs.Concat(movers).Select(w => MainLine(w, w.EmployerIn(epoch).Name))];
        var replays = again.Length == 0 ? [] : await world.Operator.ContributeBatchAsync(again, cancellationToken);
        bool bothPaid = twoJobs.Count > 0 && replays.Take(twoJobs.Count).All(r => r.Succeeded && r.IsReplay);
        world.Checks.Check("jobs", $"epoch {epoch}: every two-job worker was paid by both employers ({twoJobs.Count} workers)", bothPaid);
        var moverReplays = replays.Skip(twoJobs.Count).ToList();
        int byNew = movers.Count(w => w.EmployerIn(epoch) == w.NextEmployer);
        world.Checks.Check("jobs",
            $"epoch {epoch}: every mover was paid by {(epoch >= 2 ? "the new" : "the old")} employer ({movers.Count} movers, {byNew} by the new one)",
            moverReplays.All(r => r.Succeeded && r.IsReplay) && byNew == (epoch >= 2 ? movers.Count : 0));
    }

    // The employer line the pilot's payroll sends for a worker's job this epoch (ContributionsStep's line key).
    private PayrollLine MainLine(PilotWorker worker, string employer) =>
        new(new AccountId(employer), new IdempotencyKey($"{epoch}-{ContributionSource.Employer}-{worker.Account}"), ContributionSource.Employer, worker.Account, Amount.FromMinorUnits(ContributionsStep.EmployerMonthly));
}
