using PortableBenefits.Demo.Pilot;
using System.Security.Cryptography;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Swaps;
using Wallet.Protocol;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// Workers spend by preference (flow 3): union dues, association membership, a training course, legal advice. The
/// provider checks each payment offline (issuer and spend signatures, fund, amount) before accepting it.
/// </summary>
internal sealed class SpendingStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: workers pay providers of their choice, swapping for exact change when needed";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var keysets = world.Epochs.Single(e => e.Epoch == epoch);
        await world.MoveClockAsync(keysets.Start.AddDays(5), cancellationToken);
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
        int paid = 0, needChange = 0, refusedByProvider = 0, swapFailures = 0, shortOfFunds = 0, otherRefusals = 0;
        var allKeysets = world.AllKeysets;
        var changeKeysets = new[] { keysets.General500.Id, keysets.General100.Id };
        var trainingKeysets = new[] { keysets.Training500.Id };

        // One worker's payments run in order (a swap changes what the next payment finds); workers run side by side.
        await Parallel.ForEachAsync(plan.GroupBy(p => p.Worker), new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (payments, ct) =>
        {
            foreach (var (worker, provider, purpose) in payments)
            {
                var request = await provider.Role.CreatePaymentRequestAsync(Amount.FromMinorUnits(provider.Price), purpose, TimeSpan.FromHours(1));
                var prepared = worker.Wallet.PreparePayment(request, world.Registry);
                if (prepared.Status == PaymentPreparationStatus.NoExactCoins && prepared.ChangeAvailable)
                {
                    // Exact change (PROTOCOL.md 5.8): break larger coins of the fund the payment will use, then pay.
                    Interlocked.Increment(ref needChange);
                    bool changed = await MakeChangeAsync(world, worker, request.Amount, provider.Category == "training" ? [trainingKeysets, changeKeysets] : [changeKeysets], ct);
                    if (!changed)
                    {
                        Interlocked.Increment(ref swapFailures);
                        progress.Advance();
                        continue;
                    }

                    world.Figures.Add($"change:{provider.Category}", provider.Price);
                    prepared = worker.Wallet.PreparePayment(request, world.Registry);
                }

                if (prepared.Status != PaymentPreparationStatus.Ready)
                {
                    // Not enough value the provider may redeem is an ordinary outcome (the worker spent it already); anything else is a fault.
                    Interlocked.Increment(ref prepared is { Status: PaymentPreparationStatus.NoExactCoins, ChangeAvailable: false } ? ref shortOfFunds : ref otherRefusals);
                    progress.Advance();
                    continue;
                }

                world.Payers[request.Id] = worker;
                if (await provider.Role.VerifyPaymentAsync(request, prepared.Spends, allKeysets) != PaymentVerification.Accepted)
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
            }
        });

        world.Figures.Add("needs-change", needChange);
        world.Figures.Add("swaps", needChange - swapFailures);
        Console.WriteLine($"      {paid:N0} payments accepted; {needChange:N0} of them first needed change, made by {needChange - swapFailures:N0} swaps; {shortOfFunds:N0} declined (not enough value left)");
        world.Checks.Check("payments", $"epoch {epoch}: providers accepted every payment a wallet prepared", refusedByProvider == 0, $"{refusedByProvider} refused");
        world.Checks.Check("payments", $"epoch {epoch}: every swap for exact change was signed by the scheme and unblinded by the wallet", swapFailures == 0, $"{swapFailures} failed");
        world.Checks.Check("payments", $"epoch {epoch}: wallets refused no payment they had the value for", otherRefusals == 0, $"{otherRefusals} refused");
    }

    /// <summary>Swaps for exact change in the first of <paramref name="targets"/> (one fund each) whose coins reach the amount.</summary>
    private static async Task<bool> MakeChangeAsync(PilotWorld world, PilotWorker worker, Amount amount, IReadOnlyList<KeysetId[]> targets, CancellationToken cancellationToken)
    {
        foreach (var target in targets)
        {
            // A swap names no account, so its key is random: a key naming the worker would link the new coins to them.
            var key = new IdempotencyKey($"swap-{Convert.ToHexString(RandomNumberGenerator.GetBytes(16))}");
            if (worker.Wallet.PrepareChange(key, amount, target).Request is not { } swap)
            {
                continue;
            }

            var result = await world.Client.SwapAsync(swap, cancellationToken);
            if (result.Status == SwapStatus.Swapped && worker.Wallet.CompleteSwap(swap, result.Response!) == SwapCompletion.Completed)
            {
                return true;
            }

            // Refused outright: release the reserved input coins so they can still be spent.
            worker.Wallet.AbandonSwap(key);
            return false;
        }

        return false;
    }
}
