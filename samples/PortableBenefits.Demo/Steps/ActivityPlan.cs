using PortableBenefits.Demo.Pilot;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// A month of the pilot as people would live it, drawn from the seeded generator (a seed replays the same plan): active
/// workers in random order, each withdrawing at their own time in the first third of the month and paying each
/// provider of their choice at its own later time, up to a few days before the coins stop being spendable. With the
/// defences off each worker does everything in one sitting at their withdrawal time instead.
/// </summary>
internal static class ActivityPlan
{
    /// <summary>The last payments are made this long before the month's coins stop being spendable (apps pay expiring coins after).</summary>
    public static readonly TimeSpan PaymentsEndBeforeSpendUntil = TimeSpan.FromDays(4);

    private const int IdleAttempts = 8;

    public static List<ActivityEvent> Draw(PilotWorld world, EpochKeysets keysets, TimeSpan slice)
    {
        var random = world.Random;
        bool defences = world.Options.Defences;
        var start = keysets.Start;
        var spendUntil = keysets.All.Min(k => k.SpendUntil);
        var withdrawFrom = start + slice;
        var withdrawUntil = start + ((spendUntil - start) / 3);
        var payUntil = spendUntil - PaymentsEndBeforeSpendUntil;
        long SliceOf(DateTimeOffset at) => (at - start).Ticks / slice.Ticks;
        DateTimeOffset Between(DateTimeOffset from, DateTimeOffset to) => from + TimeSpan.FromTicks((long)((to - from).Ticks * random.NextDouble()));

        var active = world.Workers.Where(w => !w.Inactive).ToArray();
        random.Shuffle(active);
        var events = new List<ActivityEvent>();
        foreach (var worker in active)
        {
            var withdrawn = Between(withdrawFrom, withdrawUntil);
            events.Add(new ActivityEvent(withdrawn, events.Count, worker, ActivityKind.Withdraw));

            // The same draws with the defences on or off, so a seed gives both runs the same payments.
            var paidSlices = new HashSet<long>();
            var firstNeed = DateTimeOffset.MaxValue;
            foreach (var (provider, purpose) in Preferences(world, worker))
            {
                // A payment never shares the withdrawal's sitting when the defences are on; without them it always does.
                var at = Between(withdrawn + slice, payUntil);
                paidSlices.Add(SliceOf(at));
                events.Add(new ActivityEvent(defences ? at : withdrawn, events.Count, worker, ActivityKind.Pay, provider, purpose));
                if (provider.Category != "training" && provider.Price % keysets.General500.Denomination.MinorUnits != 0 && at < firstNeed)
                {
                    firstNeed = at;
                }
            }

            // Dues mandates: the wallet pays each period at the moment it drew from its seed (uniform in the period's pay
            // window), never in the withdrawal's sitting; a period whose moment came before this month's withdrawal is paid
            // just after it, with arrears first.
            if (worker.Mandate is { } mandate && worker.Wallet.Mandates.Count > 0)
            {
                var union = world.Providers.Single(p => p.Id == worker.Union);
                foreach (var due in worker.Wallet.MandateStatus(payUntil).SelectMany(m => m.Periods).Where(p => p.PayAt >= start && p.PayAt <= payUntil && p.State is not (Wallet.Protocol.Wallets.MandatePeriodState.Paid or Wallet.Protocol.Wallets.MandatePeriodState.InFlight)))
                {
                    // The pilot's clock moves a slice at a time: the wallet acts at the first slice start after its moment.
                    var moment = start + (slice * ((due.PayAt - start).Ticks / slice.Ticks + 1));
                    var at = moment < withdrawn + slice ? withdrawn + slice : moment;
                    paidSlices.Add(SliceOf(at));
                    events.Add(new ActivityEvent(at, events.Count, worker, ActivityKind.Dues, union, "union dues (mandate)"));
                    if (union.Price % keysets.General500.Denomination.MinorUnits != 0 && at < firstNeed)
                    {
                        firstNeed = at;
                    }
                }
            }

            // Change ahead of need: a wallet whose coming payments need small coins (a price the 5.00 coins of the uniform
            // split do not make) swaps for them at an idle moment before the first of those payments, in no payment's
            // sitting and not in the withdrawal's. A wallet that needs none swaps nothing.
            for (int attempt = 0; firstNeed != DateTimeOffset.MaxValue && attempt < IdleAttempts; attempt++)
            {
                var idle = Between(withdrawn + slice, firstNeed);
                if (!paidSlices.Contains(SliceOf(idle)) && SliceOf(idle) != SliceOf(withdrawn))
                {
                    if (defences)
                    {
                        events.Add(new ActivityEvent(idle, events.Count, worker, ActivityKind.ChangeAhead));
                    }

                    break;
                }
            }
        }

        events.Sort((a, b) => a.At != b.At ? a.At.CompareTo(b.At) : a.Order.CompareTo(b.Order));
        return events;
    }

    /// <summary>What a worker pays for this month: union dues, association membership, a training course, legal advice.</summary>
    private static List<(PilotProvider Provider, string Purpose)> Preferences(PilotWorld world, PilotWorker worker)
    {
        var random = world.Random;
        var payments = new List<(PilotProvider, string)>();
        // A member with a dues mandate pays its union through the mandate (Draw), not as a one-off payment.
        if (worker.Union is { } union && worker.Mandate is null)
        {
            payments.Add((world.Providers.Single(p => p.Id == union), "monthly union dues"));
        }

        if (worker.JoinsAssociation)
        {
            payments.Add((world.Providers.Single(p => p.Category == "association"), "association membership"));
        }

        if (random.NextDouble() < worker.TrainingAppetite)
        {
            var training = world.Providers.Where(p => p.Category == "training").ToList();
            var sectorCourse = training.Where(p => p.Sector == worker.Employer.Sector).ToList();
            var pool = sectorCourse.Count > 0 && random.NextDouble() < 0.5 ? sectorCourse : training;
            payments.Add((pool[random.Next(pool.Count)], "training course"));
        }

        if (random.NextDouble() < worker.LegalNeed)
        {
            var legal = world.Providers.Where(p => p.Category == "legal").ToList();
            payments.Add((legal[random.Next(legal.Count)], "legal advice session"));
        }

        return payments;
    }
}
