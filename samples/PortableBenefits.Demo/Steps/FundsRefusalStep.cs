using PortableBenefits.Demo.Pilot;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// After the month's withdrawals (docs/PROTOCOL.md 5.22): only levy-paying employers' workers hold training money, and a
/// worker whose late levy arrived asks for all of its money as general coins: refused (FundRestricted), nothing moved.
/// </summary>
internal sealed class FundsRefusalStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: training money asked for as general coins is refused";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        // The ledger keeps the levy apart: only workers whose employer pays it ever hold training money.
        int stray = 0;
        foreach (var worker in world.Workers.Where(w => !w.Employer.PaysTrainingLevy).Take(50))
        {
            stray += await world.Operator.GetBalanceAsync(LedgerAccount.WorkerFund(worker.Account, FundsTableStep.Training), cancellationToken) == 0 ? 0 : 1;
        }

        world.Checks.Check("funds", $"epoch {epoch}: no sampled worker whose employer pays no levy holds training money", stray == 0, $"{stray} do");

        // Late in the month (the keysets are open on every clock the pilot runs on), the employer's levy for one worker
        // arrives after the worker withdrew; the worker's app then asks for all of its money as general coins.
        var cheat = world.Workers.First(w => !w.Inactive && w.Employer.PaysTrainingLevy);
        string employer = cheat.EmployerIn(epoch).Name;
        var levy = await world.Operator.ContributeAsync(new IdempotencyKey($"{epoch}-late-levy-{cheat.Account}"), new AccountId(employer), ContributionSource.Levy, cheat.Account, Amount.FromMinorUnits(ContributionsStep.TrainingLevy), cancellationToken);
        if (levy.Succeeded && !levy.IsReplay)
        {
            world.Figures.Add($"source:{ContributionSource.Levy}", ContributionsStep.TrainingLevy);
            cheat.ExtraContributions.Add((ContributionSource.Levy, employer, ContributionsStep.TrainingLevy));
        }

        var general = LedgerAccount.Worker(cheat.Account);
        var restricted = LedgerAccount.WorkerFund(cheat.Account, FundsTableStep.Training);
        long generalBefore = await world.Operator.GetBalanceAsync(general, cancellationToken);
        long trainingBefore = await world.Operator.GetBalanceAsync(restricted, cancellationToken);
        var keysets = world.Epochs.Single(e => e.Epoch == epoch);
        long issuedBefore = (await world.Operator.GetKeysetTotalsAsync(keysets.General100.Id, cancellationToken)).Issued.MinorUnits;

        var view = await LogView.FetchAsync(world.Client, world.WitnessPolicy, cancellationToken);
        await view.SyncAsync(cheat.Wallet, cancellationToken);
        long small = keysets.General100.Denomination.MinorUnits;
        long all = (generalBefore + trainingBefore) / small * small;
        var key = new IdempotencyKey($"withdraw-{epoch}-all-as-general-{cheat.Account}");
        var request = cheat.Wallet.PrepareWithdrawal(key, [.. Enumerable.Repeat(keysets.General100.Id, (int)(all / small))]);
        var result = await world.Client.WithdrawAsync(request, cancellationToken);
        var abandoned = cheat.Wallet.AbandonWithdrawal(key, result.Status);

        bool nothingMoved = await world.Operator.GetBalanceAsync(general, cancellationToken) == generalBefore
            && await world.Operator.GetBalanceAsync(restricted, cancellationToken) == trainingBefore
            && (await world.Operator.GetKeysetTotalsAsync(keysets.General100.Id, cancellationToken)).Issued.MinorUnits == issuedBefore;
        world.Checks.Check("funds", $"epoch {epoch}: the late levy was credited to the worker's training sub-balance", levy.Succeeded && trainingBefore >= ContributionsStep.TrainingLevy, $"training {Money.Format(trainingBefore)}");
        world.Checks.Check("funds", $"epoch {epoch}: {Money.Format(all)} asked for as general coins by a worker holding {Money.Format(trainingBefore)} of training money is refused as FundRestricted", result.Status == WithdrawalStatus.FundRestricted, result.Status.ToString());
        world.Checks.Check("funds", $"epoch {epoch}: the refused withdrawal moved nothing (both sub-balances and the keyset's issued value unchanged)", nothingMoved);
        world.Checks.Check("funds", $"epoch {epoch}: the wallet dropped the refused request", abandoned == WithdrawalAbandonment.Abandoned, abandoned.ToString());
        Console.WriteLine($"      {cheat.Account}: general {Money.Format(generalBefore)}, training {Money.Format(trainingBefore)}; {Money.Format(all)} as general coins -> {result.Status}, nothing moved");
    }
}
