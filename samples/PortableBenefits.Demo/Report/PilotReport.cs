using PortableBenefits.Demo.Pilot;
using PortableBenefits.Demo.Steps;

namespace PortableBenefits.Demo.Report;

/// <summary>Prints what the pilot did; every figure shown was reconciled by a check in <see cref="FullAuditStep"/> or a step.</summary>
internal static class PilotReport
{
    public static void Print(PilotWorld world, TimeSpan total)
    {
        var f = world.Figures;
        Section("Value flows");
        Console.WriteLine("  contributed, by source:");
        foreach (var (source, value) in f.WithPrefix("source:"))
        {
            Console.WriteLine($"    {source,-28}{Money.Format(value),14}");
        }

        Console.WriteLine("  withdrawn as coins, by fund:");
        foreach (var (fund, value) in f.WithPrefix("fund:"))
        {
            Console.WriteLine($"    {fund,-28}{Money.Format(value),14}   {f[$"coins:{fund}"],8:N0} coins");
        }

        Console.WriteLine("  paid to providers, by category:          deposited   default allocation");
        foreach (var category in world.Providers.Select(p => p.Category).Distinct())
        {
            Console.WriteLine($"    {category,-28}{Money.Format(f[$"deposited:{category}"]),14}   {Money.Format(f[$"default:{category}"]),14}");
        }

        Console.WriteLine($"    {"default pool (no provider)",-28}{Money.Format(f["pooled"]),14}");
        Console.WriteLine($"  {f["payments"]:N0} payments in {f["batches"]:N0} deposit batches ({f["deposited-coins"]:N0} coins); {f["change-ahead"]:N0} change-ahead swaps; {f["needs-change"]:N0} payments needed an immediate swap ({f["swaps"]:N0} made)");
        Console.WriteLine($"  {Money.Format(f["client-allocated"])} of expiring coins paid by apps to their default providers before expiry (in \"deposited\" above)");

        Section("Checks (ledger invariants, log audit, reconciliation)");
        foreach (var group in world.Checks.All.GroupBy(c => c.Group))
        {
            var failed = group.Where(c => !c.Passed).ToList();
            Console.WriteLine($"  {(failed.Count == 0 ? "ok  " : "FAIL")} {group.Key}: {group.Count()} checks");
            foreach (var check in group.Where(c => c.Group is "ledger" or "log" or "witnesses" || !c.Passed))
            {
                Console.WriteLine($"       {(check.Passed ? "ok  " : "FAIL")} {check.Name}{(check.Passed || check.Detail.Length == 0 ? "" : $" ({check.Detail})")}");
            }
        }

        Section("Anonymity sets (from the public log)");
        AnonymityTable.Print(world);

        Section("What each party saw (one sample row each)");
        foreach (string party in new[] { "employer", "scheme", "scheme-deposit", "provider" })
        {
            if (f.SampleRows.TryGetValue(party, out var row))
            {
                Console.WriteLine($"  {row[0],-22} {row[1]}");
                Console.WriteLine($"  {"",-22}   knows: {row[2]}");
            }
        }

        Section("Timings");
        foreach (var (step, elapsed) in world.Timings)
        {
            Console.WriteLine($"  {elapsed.TotalSeconds,7:F1} s  {step}");
        }

        Console.WriteLine($"  {total.TotalSeconds,7:F1} s  total ({world.Options.Workers:N0} workers, {world.Options.Epochs} epochs, {world.LedgerDescription})");
        Console.WriteLine();
    }

    private static void Section(string title)
    {
        Console.WriteLine();
        Console.WriteLine($"== {title} ==");
    }
}
