using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Providers;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// After a month's deposits, each union reconciles its membership ledger (docs/PROTOCOL.md 5.19): which period each
/// member has paid through, who has lapsed, and a signed paid-up statement for every member in good standing. The checks
/// hold the union's books against what each member's wallet says it paid, and the public log against the member
/// references: the scheme saw ordinary deposits only.
/// </summary>
internal sealed class DuesReconcileStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: unions reconcile their dues mandates: paid through, lapses, paid-up statements";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var now = world.Clock.Now;
        var members = world.Workers.Where(w => w.Mandate is not null).ToList();
        int agree = 0, lapseAgree = 0, statements = 0, statementsValid = 0, lapsed = 0, lostMandate = 0;
        foreach (var worker in members)
        {
            var mandate = worker.Mandate!;
            var union = world.Providers.Single(p => p.Id == worker.Union);
            var entry = await union.Role.GetMembershipAsync(mandate.Id, cancellationToken) ?? new MembershipEntry(mandate, 0);
            lapsed += entry.IsLapsedAt(now) ? 1 : 0;
            if (worker.Wallet.MandateStatus(now).SingleOrDefault(m => m.Mandate.Id == mandate.Id) is not { } status)
            {
                // A wallet restored from its seed alone holds no mandate (mandates live in the wallet file, not the seed).
                lostMandate++;
                agree++;
                lapseAgree++;
            }
            else
            {
                agree += status.PaidPeriods == entry.PeriodsPaid ? 1 : 0;
                lapseAgree += new MembershipEntry(mandate, (uint)status.PaidPeriods).IsLapsedAt(now) == entry.IsLapsedAt(now) ? 1 : 0;
            }

            if (entry.PeriodsPaid > 0 && await union.Role.IssuePaidUpStatementAsync(mandate.Id, cancellationToken) is { } statement)
            {
                statements++;
                statementsValid += statement.Verify(union.ReceiptKey.PublicKey) && statement.Mandate == mandate.Id && statement.PeriodsPaid == entry.PeriodsPaid
                    && statement.MemberReference.SequenceEqual(mandate.MemberReference) ? 1 : 0;
            }
        }

        var checks = world.Checks;
        checks.Bulk("dues", $"epoch {epoch}: {members.Count:N0} members: the union's paid-through equals the periods the member's wallet paid", members.Count, agree == members.Count, $"{members.Count - agree} disagree");
        checks.Bulk("dues", $"epoch {epoch}: the union's lapses ({lapsed:N0}) are exactly the members whose wallets left an ended period unpaid", members.Count, lapseAgree == members.Count, $"{members.Count - lapseAgree} disagree");
        checks.Bulk("dues", $"epoch {epoch}: {statements:N0} paid-up statements signed by the union, for the member reference and periods its ledger holds", statements, statementsValid == statements, $"{statements - statementsValid} invalid");

        // The scheme learns nothing beyond ordinary deposits: no member reference in any public log entry (read once, at
        // the last month's reconciliation).
        if (epoch == (uint)world.Options.Epochs)
        {
            var head = await world.Client.GetTreeHeadAsync(cancellationToken);
            var log = new List<byte>();
            for (ulong i = 0; i < head.TreeSize; i++)
            {
                log.AddRange((await world.Client.GetLogEntryAsync(i, cancellationToken))!.Encode());
            }

            byte[] all = [.. log];
            int found = members.Count(w => all.AsSpan().IndexOf(w.Mandate!.MemberReference) >= 0);
            checks.Check("dues", $"no member reference appears in the public log ({head.TreeSize:N0} entries)", found == 0, $"{found} found");
        }

        Console.WriteLine($"      {members.Count:N0} members: {members.Count - lapsed:N0} in good standing, {lapsed:N0} lapsed (an ended period unpaid), {statements:N0} paid-up statements; {lostMandate:N0} restored wallet(s) no longer hold their mandate");
    }
}
