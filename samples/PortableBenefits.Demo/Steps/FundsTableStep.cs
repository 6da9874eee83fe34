using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Registry;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// The accreditation body signs the funds table (docs/PROTOCOL.md 5.22): the training levy goes to the training fund,
/// every other source to general. The operator publishes it in the log before the first payroll.
/// </summary>
internal sealed class FundsTableStep : IPilotStep
{
    /// <summary>The restricted fund of the pilot: the training levy, spent as training coins only.</summary>
    public const string Training = "training";

    public string Title => "Sign the funds table (training levy -> training fund) and publish it in the log";

    public static FundsTable? Table { get; private set; }

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        // In force well before the first payroll, whichever clock the scheme runs on (a separately started server's
        // sample clock starts at the real time and only catches up with the pilot's calendar in the first month).
        var table = FundsTable.Sign(1, PilotWorld.PilotStart.AddYears(-1), [new FundRule(ContributionSource.Levy, Training)], world.AccreditationKey);
        Table = table;
        world.Checks.Check("funds", "the funds table verifies under the accreditation key", table.Verify(world.AccreditationKey.PublicKey));
        world.Checks.Check("funds", "the scheme published the signed funds table in its log", await world.Operator.PublishFundsTableAsync(table, cancellationToken));
        world.Checks.Check("funds", "the same table published again is refused (versions must increase)", !await world.Operator.PublishFundsTableAsync(table, cancellationToken));
        Console.WriteLine($"      funds table v{table.Version}: {string.Join(", ", Enum.GetValues<ContributionSource>().Select(s => $"{s} -> {table.Resolve(s)}"))}");
    }
}
