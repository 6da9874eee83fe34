using PortableBenefits.Demo.Pilot;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Payouts;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// At each epoch's close the operator pays every provider its whole payable out of the scheme (PROTOCOL.md 5.18): one
/// payout call per provider with a key of its own, a scheme-signed statement the provider checks, one log record with
/// the amount per provider, and a ledger checkpoint after them that the auditor reconciles.
/// </summary>
internal sealed class PayoutStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch} closes: providers are paid out";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        long total = 0;
        int paid = 0;
        foreach (var provider in world.Providers)
        {
            var id = provider.Role.Record.Id;
            long payable = await world.Operator.GetBalanceAsync(LedgerAccount.Provider(id), cancellationToken);
            if (payable == 0)
            {
                continue;
            }

            var result = await world.Operator.PayoutAsync(new IdempotencyKey($"payout-epoch-{epoch}-{provider.Id}"), id, Amount.FromMinorUnits(payable), cancellationToken);
            var statement = result.Statement;
            world.Checks.Check("payouts", $"epoch {epoch} {provider.Id}: paid out its whole payable ({Money.Format(payable)})", result.Status == PayoutStatus.Paid && statement is not null && statement.Amount.MinorUnits == payable && statement.PayableAfter.IsZero, result.Status.ToString());
            world.Checks.Check("payouts", $"epoch {epoch} {provider.Id}: the statement is the scheme's and names the provider", statement is not null && provider.Role.VerifyPayoutStatement(statement));
            var logged = statement is null ? null : await world.Client.GetLogEntryAsync(statement.LogIndex, cancellationToken);
            world.Checks.Check("payouts", $"epoch {epoch} {provider.Id}: the log records the payout as an amount per provider", logged?.ProvidersPaidOut?.Payouts.SingleOrDefault() is { } line && line.Provider == id && line.Amount.MinorUnits == payable);
            if (result.Succeeded)
            {
                world.Figures.Add($"paid-out-to:{provider.Id}", payable);
                total += payable;
                paid++;
            }
        }

        Console.WriteLine($"      paid out {Money.Format(total)} to {paid} providers");

        // The payouts left the books after the epoch's checkpoint: a second one closes the epoch with them.
        var checkpoint = await world.Operator.LogLedgerCheckpointAsync(new IdempotencyKey($"ledger-checkpoint-payouts-epoch-{epoch}"), cancellationToken);
        world.Checks.Check("payouts", $"epoch {epoch}: a ledger checkpoint after the payouts matches the log and states what left the books", checkpoint is not null && checkpoint.TotalOf(LedgerTotalKind.Payouts) == world.Providers.Sum(p => world.Figures[$"paid-out-to:{p.Id}"]));
    }
}
