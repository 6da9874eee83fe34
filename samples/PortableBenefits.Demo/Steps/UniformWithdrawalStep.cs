using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Keysets;
using Wallet.Protocol;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// Every active wallet syncs with the log and withdraws (flow 2): the training levy as training coins, the rest in the
/// uniform canonical split, so a withdrawal says nothing about what the worker will buy.
/// </summary>
internal sealed class UniformWithdrawalStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: wallets sync with the log and withdraw (uniform split, blind signatures)";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var keysets = world.Epochs.Single(e => e.Epoch == epoch);
        await world.MoveClockAsync(keysets.Start.AddDays(1), cancellationToken);
        var view = await LogView.FetchAsync(world.Client, cancellationToken);
        world.TreeHeads.Add(view.Head);
        var active = world.Workers.Where(w => !w.Inactive).ToList();
        var progress = new Progress("withdrawn", active.Count);
        int syncFailures = 0, refused = 0;
        await Parallel.ForEachAsync(active, new ParallelOptions { MaxDegreeOfParallelism = Environment.ProcessorCount, CancellationToken = cancellationToken }, async (worker, ct) =>
        {
            if (!await view.SyncAsync(worker.Wallet, ct))
            {
                Interlocked.Increment(ref syncFailures);
                return;
            }

            // The levy is earmarked for training, so it leaves as training coins; what remains goes in the uniform split.
            int training = worker.Employer.PaysTrainingLevy ? (int)(ContributionsStep.TrainingLevy / keysets.Training500.Denomination.MinorUnits) : 0;
            if (training > 0 && !await WithdrawAsync(world, worker, worker.Wallet.PrepareWithdrawal(Key(worker, "training"), [.. Enumerable.Repeat(keysets.Training500.Id, training)]), ct))
            {
                Interlocked.Increment(ref refused);
            }

            // The account statement the app shows (read here through the operator surface: PB/1 has no wallet-facing balance endpoint).
            long balance = await world.Operator.GetBalanceAsync(LedgerAccount.Worker(worker.Account), ct);
            var uniform = worker.Wallet.PrepareUniformWithdrawal(Key(worker, "uniform"), Amount.FromMinorUnits(balance)).Request;
            if (uniform is not null && !await WithdrawAsync(world, worker, uniform, ct))
            {
                Interlocked.Increment(ref refused);
            }

            progress.Advance();
        });

        world.Checks.Check("withdrawals", $"epoch {epoch}: every wallet accepted the scheme's tree head and keysets", syncFailures == 0, $"{syncFailures} failed");
        world.Checks.Check("withdrawals", $"epoch {epoch}: every withdrawal was issued, unblinded and verified by the wallet", refused == 0, $"{refused} failed");
    }

    private IdempotencyKey Key(PilotWorker worker, string purpose) => new($"withdraw-{epoch}-{purpose}-{worker.Account}");

    private static async Task<bool> WithdrawAsync(PilotWorld world, PilotWorker worker, WithdrawalRequest request, CancellationToken cancellationToken)
    {
        var result = await world.Client.WithdrawAsync(request, cancellationToken);
        if (result.Status != WithdrawalStatus.Issued || worker.Wallet.CompleteWithdrawal(request, result.Response!) != WithdrawalCompletion.Completed)
        {
            return false;
        }

        var byKeyset = world.AllKeysets.ToDictionary(k => k.Id);
        foreach (var item in request.Items)
        {
            var descriptor = byKeyset[item.Keyset];
            world.Figures.Add($"fund:{descriptor.Fund}", descriptor.Denomination.MinorUnits);
            world.Figures.Add($"coins:{descriptor.Fund}", 1);
        }

        long total = result.Response!.Receipt.Total.MinorUnits;
        worker.WithdrawnTotal += total;
        if (worker == world.Workers.First(w => !w.Inactive) && request.Items.Any(i => byKeyset[i.Keyset].Fund == KeysetDescriptor.GeneralFund))
        {
            world.Figures.SampleRows.TryAdd(
                "scheme",
                ["scheme ledger + log", $"{worker.Account} withdrew {Money.Format(total)} as {request.Items.Length} blinded coins on {request.CreatedAt:yyyy-MM-dd}", "who withdrew how much; never the coin ids"]);
        }

        return true;
    }
}
