using PortableBenefits.Demo.Pilot;
using PortableBenefits.Demo.Steps;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;

namespace PortableBenefits.Demo.Report;

/// <summary>
/// Per keyset, what the public log shows: coins issued, the withdrawals that issued them, coins spent. A column is a
/// header and a value per keyset, so a measured figure (such as the linkage evaluation's) is one more entry in
/// <see cref="Columns"/>.
/// </summary>
internal static class AnonymityTable
{
    public static void Print(PilotWorld world)
    {
        var columns = Columns(world);
        Console.WriteLine($"  {"keyset",-28}{string.Concat(columns.Select(c => c.Header.PadLeft(Math.Max(c.Header.Length + 2, 13))))}");
        foreach (var keyset in FullAuditStep.Report?.Keysets ?? [])
        {
            var d = world.AllKeysets.Single(k => k.Id == keyset.Keyset);
            string cells = string.Concat(columns.Select(c => c.Value(d).PadLeft(Math.Max(c.Header.Length + 2, 13))));
            Console.WriteLine($"  {$"epoch {d.Epoch} {d.Fund}/{Money.Format(d.Denomination.MinorUnits)}",-28}{cells}");
        }

        Console.WriteLine("  These count what the log shows, not who can be told apart. Measured instead: a linkage attack that plays the");
        Console.WriteLine("  scheme on everything it stored in this run (keysets, coin composition, batch order, payment days, deposit and");
        Console.WriteLine("  swap times, default-allocation shape, and sector and region as side information) and names a payer per payment:");
        if (world.Linkage is { } linkage)
        {
            foreach (string line in linkage.ToLines())
            {
                Console.WriteLine($"  {line}");
            }
        }
        else
        {
            Console.WriteLine("  not measured in this run (the scheme's data is not in local SQLite files: --postgres or --scheme-url).");
        }
    }

    private static List<(string Header, Func<KeysetDescriptor, string> Value)> Columns(PilotWorld world)
    {
        var audited = (FullAuditStep.Report?.Keysets ?? []).ToDictionary(k => k.Keyset);
        var withdrawals = FullAuditStep.Entries.Where(e => e.Kind == LogEntryKind.CoinsIssued).SelectMany(e => e.Issuance!.Counts.Select(c => c.Keyset)).GroupBy(k => k).ToDictionary(g => g.Key, g => g.Count());
        return
        [
            ("coins issued", d => $"{audited[d.Id].Issued:N0}"),
            ("withdrawals", d => $"{withdrawals.GetValueOrDefault(d.Id):N0}"),
            ("coins spent", d => $"{audited[d.Id].Spent:N0}"),
        ];
    }
}
