using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Providers;
using Wallet.Protocol;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// Workers spend by preference (flow 3): union dues, association membership, a training course, legal advice. The
/// provider checks each payment offline (issuer and spend signatures, fund, amount) before accepting it.
/// </summary>
internal sealed class SpendingStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: workers pay providers of their choice with exact coins";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var keysets = world.Epochs.Single(e => e.Epoch == epoch);
        world.Clock.MoveTo(keysets.Start.AddDays(5));
        var random = world.Random;
        var training = world.Providers.Where(p => p.Category == "training").ToList();
        var legal = world.Providers.Where(p => p.Category == "legal").ToList();
        var association = world.Providers.Single(p => p.Category == "association");

        // The choices are drawn in order from the seeded generator before the parallel part, so a seed replays the same pilot.
        var plan = new List<(PilotWorker Worker, PilotProvider Provider, string Purpose)>();
        foreach (var worker in world.Workers.Where(w => !w.Inactive))
        {
            if (worker.Union is { } union)
            {
                plan.Add((worker, world.Providers.Single(p => p.Id == union), "monthly union dues"));
            }

            if (worker.JoinsAssociation)
            {
                plan.Add((worker, association, "association membership"));
            }

            if (random.NextDouble() < worker.TrainingAppetite)
            {
                var sectorCourse = training.Where(p => p.Sector == worker.Employer.Sector).ToList();
                var pool = sectorCourse.Count > 0 && random.NextDouble() < 0.5 ? sectorCourse : training;
                plan.Add((worker, pool[random.Next(pool.Count)], "training course"));
            }

            if (random.NextDouble() < worker.LegalNeed)
            {
                plan.Add((worker, legal[random.Next(legal.Count)], "legal advice session"));
            }
        }

        var progress = new Progress("payments", plan.Count);
        int paid = 0, needChange = 0, refusedByProvider = 0, otherRefusals = 0;
        var allKeysets = world.AllKeysets;
        await Parallel.ForEachAsync(plan, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, (item, _) =>
        {
            var (worker, provider, purpose) = item;
            var request = provider.Role.CreatePaymentRequest(Amount.FromMinorUnits(provider.Price), purpose, TimeSpan.FromHours(1));
            var prepared = worker.Wallet.PreparePayment(request, world.Registry);
            switch (prepared.Status)
            {
                case PaymentPreparationStatus.Ready:
                    break;
                case PaymentPreparationStatus.NoExactCoins:
                    // after swaps merge: PrepareChange + SwapAsync break a larger coin, then the payment goes ahead.
                    // Until then the pilot only counts the payments that would need change.
                    Interlocked.Increment(ref needChange);
                    world.Figures.Add($"change:{provider.Category}", provider.Price);
                    progress.Advance();
                    return ValueTask.CompletedTask;
                default:
                    Interlocked.Increment(ref otherRefusals);
                    progress.Advance();
                    return ValueTask.CompletedTask;
            }

            world.Payers[request] = worker;
            if (provider.Role.VerifyPayment(request, prepared.Spends, allKeysets) != PaymentVerification.Accepted)
            {
                Interlocked.Increment(ref refusedByProvider);
            }
            else
            {
                Interlocked.Increment(ref paid);
                world.Figures.Add($"paid:{provider.Category}", provider.Price);
                world.Figures.Add("payments", 1);
                if (provider.Category == "union")
                {
                    world.Figures.SampleRows.TryAdd(
                        "provider",
                        [$"{provider.Id} till", $"{Money.Format(provider.Price)} for {purpose}: {prepared.Spends.Count} coin(s) {prepared.Spends[0].Coin.Id.ToString()[..12]}... on {world.Clock.Now:yyyy-MM-dd}", "what was paid and the coins; never the worker"]);
                }
            }

            progress.Advance();
            return ValueTask.CompletedTask;
        });

        world.Figures.Add("needs-change", needChange);
        Console.WriteLine($"      {paid:N0} payments accepted; {needChange:N0} wanted an amount the wallet could not make exactly (counted, await swaps)");
        world.Checks.Check("payments", $"epoch {epoch}: providers accepted every payment a wallet prepared", refusedByProvider == 0, $"{refusedByProvider} refused");
        world.Checks.Check("payments", $"epoch {epoch}: wallets refused no payment for a reason other than exact change", otherRefusals == 0, $"{otherRefusals} refused");
    }
}
