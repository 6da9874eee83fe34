using PortableBenefits.Demo.Pilot;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// Right after payroll (docs/PROTOCOL.md 5.22): every worker's training sub-balance is exactly the levy its employer
/// paid, and a worker asking for all of its money as general coins is refused (FundRestricted) with nothing moved.
/// </summary>
internal sealed class FundsRefusalStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: training money asked for as general coins is refused";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        // The ledger keeps the levy apart: a sample of workers' training sub-balances against what their employers paid.
        int mismatched = 0;
        foreach (var worker in world.Workers.Take(50))
        {
            long training = await world.Operator.GetBalanceAsync(LedgerAccount.WorkerFund(worker.Account, FundsTableStep.Training), cancellationToken);
            mismatched += training == (worker.Employer.PaysTrainingLevy ? ContributionsStep.TrainingLevy : 0) ? 0 : 1;
        }

        world.Checks.Check("funds", $"epoch {epoch}: each sampled worker's training sub-balance is the levy its employer paid", mismatched == 0, $"{mismatched} differ");

        var cheat = world.Workers.First(w => !w.Inactive && w.Employer.PaysTrainingLevy);
        var general = LedgerAccount.Worker(cheat.Account);
        var restricted = LedgerAccount.WorkerFund(cheat.Account, FundsTableStep.Training);
        long generalBefore = await world.Operator.GetBalanceAsync(general, cancellationToken);
        long trainingBefore = await world.Operator.GetBalanceAsync(restricted, cancellationToken);
        var keysets = world.Epochs[^1];
        long issuedBefore = (await world.Operator.GetKeysetTotalsAsync(keysets.General500.Id, cancellationToken)).Issued.MinorUnits;

        var view = await LogView.FetchAsync(world.Client, world.WitnessPolicy, cancellationToken);
        await view.SyncAsync(cheat.Wallet, cancellationToken);
        long large = keysets.General500.Denomination.MinorUnits;
        long small = keysets.General100.Denomination.MinorUnits;
        long all = generalBefore + trainingBefore;
        KeysetId[] coins = [.. Enumerable.Repeat(keysets.General500.Id, (int)(all / large)), .. Enumerable.Repeat(keysets.General100.Id, (int)(all % large / small))];
        var key = new IdempotencyKey($"withdraw-{epoch}-all-as-general-{cheat.Account}");
        var request = cheat.Wallet.PrepareWithdrawal(key, coins);
        var result = await world.Client.WithdrawAsync(request, cancellationToken);
        var abandoned = cheat.Wallet.AbandonWithdrawal(key, result.Status);

        bool nothingMoved = await world.Operator.GetBalanceAsync(general, cancellationToken) == generalBefore
            && await world.Operator.GetBalanceAsync(restricted, cancellationToken) == trainingBefore
            && (await world.Operator.GetKeysetTotalsAsync(keysets.General500.Id, cancellationToken)).Issued.MinorUnits == issuedBefore;
        world.Checks.Check("funds", $"epoch {epoch}: {Money.Format(all)} asked for as general coins by a worker holding {Money.Format(trainingBefore)} of training money is refused as FundRestricted", result.Status == WithdrawalStatus.FundRestricted, result.Status.ToString());
        world.Checks.Check("funds", $"epoch {epoch}: the refused withdrawal moved nothing (both sub-balances and the keyset's issued value unchanged)", nothingMoved);
        world.Checks.Check("funds", $"epoch {epoch}: the wallet dropped the refused request", abandoned == WithdrawalAbandonment.Abandoned, abandoned.ToString());
        Console.WriteLine($"      {cheat.Account}: general {Money.Format(generalBefore)}, training {Money.Format(trainingBefore)}; {Money.Format(all)} as general coins -> {result.Status}, nothing moved");
    }
}
