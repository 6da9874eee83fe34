using PortableBenefits.Demo.Pilot;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// People who move (PROTOCOL.md 5.24): one worker in ten also works for a second employer in another sector, and one
/// in ten (another tenth) moves to an employer in another sector from epoch 2 on. The picks are by position, so every
/// run with the same options has the same two-job workers and movers.
/// </summary>
internal sealed class PeopleWhoMoveStep : IPilotStep
{
    public string Title => "People who move: workers with two employers, workers who change employer";

    public Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        int twoJobs = 0;
        int movers = 0;
        for (int i = 0; i < world.Workers.Count; i++)
        {
            var worker = world.Workers[i];
            var others = world.Employers.Where(e => e.Sector != worker.Employer.Sector).ToList();
            if (others.Count == 0)
            {
                continue;
            }

            if (i % 10 == 3)
            {
                worker.SecondEmployer = others[i / 10 % others.Count];
                twoJobs++;
            }
            else if (i % 10 == 7 && world.Options.Epochs >= 2)
            {
                worker.NextEmployer = others[i / 10 % others.Count];
                worker.MovesAtEpoch = 2;
                movers++;
            }
        }

        Console.WriteLine($"      {twoJobs} workers with two employers, {movers} who move at epoch 2");
        world.Checks.Check("jobs", "the pilot has workers with two employers", twoJobs > 0);
        world.Checks.Check("jobs", "the pilot has workers who change employer between epochs", movers > 0 || world.Options.Epochs < 2);
        return Task.CompletedTask;
    }
}
