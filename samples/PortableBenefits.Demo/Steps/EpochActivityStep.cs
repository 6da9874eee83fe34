using PortableBenefits.Demo.Pilot;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// The month between payroll and the last days of the coins: every active worker's app acts at its own planned times
/// (<see cref="ActivityPlan"/>), and providers deposit by their policy. Time runs in slices of one simulated hour: the
/// clock moves to each slice, its events run side by side across workers (one worker's in order), then every provider
/// sends what its deposit policy says is due. At the end every waiting payment is deposited, so all settle before the
/// epoch closes.
/// </summary>
internal sealed class EpochActivityStep(uint epoch) : IPilotStep
{
    /// <summary>One sitting: events in the same slice happen at the same simulated time.</summary>
    public static readonly TimeSpan Slice = TimeSpan.FromHours(1);

    /// <summary>Providers also look at their deposit schedule this often when nobody pays them.</summary>
    private const int DepositTickSlices = 6;

    public string Title => $"Epoch {epoch}: workers withdraw and pay providers through the month; providers deposit by policy";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var keysets = world.Epochs.Single(e => e.Epoch == epoch);
        var start = keysets.Start;
        var end = keysets.All.Min(k => k.SpendUntil) - ActivityPlan.PaymentsEndBeforeSpendUntil + TimeSpan.FromDays(1);
        var plan = ActivityPlan.Draw(world, keysets, Slice);
        var bySlice = plan.GroupBy(e => (e.At - start).Ticks / Slice.Ticks).ToDictionary(g => g.Key, g => g.ToList());
        var ticks = new SortedSet<long>(bySlice.Keys);
        long lastSlice = (end - start).Ticks / Slice.Ticks;
        for (long slice = 0; slice <= lastSlice; slice += DepositTickSlices)
        {
            ticks.Add(slice);
        }

        var view = await LogView.FetchAsync(world.Client, world.WitnessPolicy, cancellationToken);
        world.TreeHeads.Add(view.Head);
        var tally = new ActivityTally();
        var actions = new WalletActions(world, keysets, view, tally);
        var progress = new Progress("events", plan.Count);
        var policy = world.DepositPolicy;
        // More workers than cores at once: each commit waits on an fsync (SQLite, synchronous=FULL), and others can sign meanwhile.
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = 4 * Environment.ProcessorCount, CancellationToken = cancellationToken };
        foreach (long slice in ticks)
        {
            await world.MoveClockAsync(start + (Slice * slice), cancellationToken);
            if (bySlice.TryGetValue(slice, out var events))
            {
                await Parallel.ForEachAsync(events.GroupBy(e => e.Worker), parallel, async (mine, ct) =>
                {
                    foreach (var activity in mine)
                    {
                        await actions.RunAsync(activity, ct);
                        progress.Advance();
                    }
                });
            }

            foreach (var provider in world.Providers)
            {
                await ProviderDeposits.RunAsync(world, provider, policy, $"{epoch}-{slice}", tally, cancellationToken);
            }
        }

        // The end of the month's spending: whatever still waits is deposited now.
        await world.MoveClockAsync(start + (Slice * lastSlice), cancellationToken);
        foreach (var provider in world.Providers)
        {
            await ProviderDeposits.RunAsync(world, provider, null, $"{epoch}-end", tally, cancellationToken);
        }

        world.Figures.Add("needs-change", tally.ImmediateSwaps);
        world.Figures.Add("swaps", tally.ImmediateSwaps - tally.ImmediateSwapFailures);
        world.Figures.Add("change-ahead", tally.ChangeAheadSwaps);
        Console.WriteLine($"      {tally.Withdrawals:N0} withdrawals and {tally.Paid:N0} payments at {bySlice.Count:N0} moments over {(end - start).TotalDays:F0} days; {tally.ShortOfFunds:N0} payments declined (not enough value left)");
        Console.WriteLine($"      {tally.DuesPaid:N0} mandate periods paid by the wallets themselves; {tally.DuesShort:N0} left in arrears (funds short)");
        world.Figures.Add("dues-paid", tally.DuesPaid);
        Console.WriteLine($"      {tally.ChangeAheadSwaps:N0} change-ahead swaps; {tally.ImmediateSwaps:N0} payments needed an immediate swap");
        Console.WriteLine($"      {tally.Batches:N0} deposit batches ({(world.Options.Defences ? "scheduled" : "each payment at once")}); {tally.Receipts:N0} spend receipts delivered to wallets");

        var checks = world.Checks;
        checks.Check("withdrawals", $"epoch {epoch}: every wallet accepted the scheme's tree head and keysets", tally.SyncFailures == 0, $"{tally.SyncFailures} failed");
        checks.Check("withdrawals", $"epoch {epoch}: every withdrawal was issued, unblinded and verified by the wallet", tally.WithdrawalsRefused == 0, $"{tally.WithdrawalsRefused} failed");
        checks.Check("payments", $"epoch {epoch}: providers accepted every payment a wallet prepared", tally.RefusedByProvider == 0, $"{tally.RefusedByProvider} refused");
        checks.Check("payments", $"epoch {epoch}: every swap for change (ahead of need or immediate) was signed by the scheme and unblinded by the wallet", tally.ImmediateSwapFailures == 0 && tally.ChangeAheadFailures == 0, $"{tally.ImmediateSwapFailures} immediate, {tally.ChangeAheadFailures} ahead failed");
        checks.Check("payments", $"epoch {epoch}: wallets refused no payment they had the value for", tally.OtherRefusals == 0, $"{tally.OtherRefusals} refused");
        checks.Check("deposits", $"epoch {epoch}: every batch was accepted and its receipt verified (signature, inclusion proof)", tally.BatchesRefused == 0, $"{tally.BatchesRefused} refused");
        checks.Check("deposits", $"epoch {epoch}: every wallet accepted its provider's spend receipt", tally.ReceiptsRefused == 0, $"{tally.ReceiptsRefused} refused");
        checks.Check("deposits", $"epoch {epoch}: every payment was deposited and settled before the month's spending ended", world.Payers.IsEmpty && tally.Receipts == tally.Paid, $"{world.Payers.Count} waiting, {tally.Receipts} receipts for {tally.Paid} payments");
    }
}
