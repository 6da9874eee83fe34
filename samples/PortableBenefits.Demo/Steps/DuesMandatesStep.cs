using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// At enrolment every union member's union issues a dues mandate (docs/PROTOCOL.md 5.19): the member reference only the
/// union understands, the monthly dues, one period per pilot month starting after the month's withdrawals, and a
/// 14-day window in which the wallet pays at a moment of its own. The wallet checks the union's signature and keeps it;
/// from then on it pays each period by itself. The scheme is not told. With --defences off there are no mandates.
/// </summary>
internal sealed class DuesMandatesStep : IPilotStep
{
    /// <summary>Periods start this long into each pilot month: after the month's withdrawals (the first third).</summary>
    public static readonly TimeSpan Offset = TimeSpan.FromDays(10);

    /// <summary>The part of each period in which the wallet pays, ending before the month's coins stop being spendable.</summary>
    public static readonly TimeSpan PayWindow = TimeSpan.FromDays(14);

    public string Title => "Union members accept their union's dues mandate (standing order) in the wallet";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        if (!world.Options.Defences)
        {
            // The mandate's drawn pay moment is itself a defence (no fixed-day signal): with the defences off, members pay
            // their dues as one-off payments in the withdrawal's sitting, the behaviour a linkage attack exploits.
            Console.WriteLine("      defences off: no mandates; union dues are one-off payments in each withdrawal's sitting");
            return;
        }

        var startsAt = AnnounceKeysetsStep.StartOf(1) + Offset;
        int accepted = 0, members = 0;
        foreach (var worker in world.Workers.Where(w => w.Union is not null))
        {
            members++;
            var union = world.Providers.Single(p => p.Id == worker.Union);
            byte[] reference = new byte[16];
            world.Random.NextBytes(reference);
            var mandate = await union.Role.IssueMandateAsync(reference, Wallet.Protocol.Amount.FromMinorUnits(union.Price), KeysetDescriptor.GeneralFund, AnnounceKeysetsStep.Month, PayWindow, startsAt, null, cancellationToken);
            if (worker.Wallet.AcceptMandate(mandate, world.Registry) == MandateAcceptance.Accepted)
            {
                worker.Mandate = mandate;
                accepted++;
            }
        }

        world.Figures.Add("mandates", accepted);
        world.Checks.Check("dues", $"every union member's wallet accepted its union's signed mandate ({members:N0} members)", accepted == members, $"{accepted} accepted");
        Console.WriteLine($"      {accepted:N0} dues mandates accepted: each period starts {Offset.TotalDays:F0} days into the month and is paid at a moment each wallet draws within {PayWindow.TotalDays:F0} days");
    }
}
