using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Providers;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// A provider deposits its verified payments (flow 4, up to 1,024 coins a batch): every receipt is checked against the
/// scheme key and its inclusion proof, and the spend receipts go back to the workers' wallets.
/// </summary>
internal static class ProviderDeposits
{
    /// <summary>Sends the batches <paramref name="policy"/> says are due now, or with a null policy everything that waits.</summary>
    public static async Task RunAsync(PilotWorld world, PilotProvider provider, ProviderDepositPolicy? policy, string label, ActivityTally tally, CancellationToken cancellationToken)
    {
        while (true)
        {
            var key = world.NextDepositKey(label);
            var batch = policy is null
                ? await provider.Role.CreateDepositAsync(key, cancellationToken)
                : await provider.Role.CreateScheduledDepositAsync(key, policy, cancellationToken);
            if (batch is null)
            {
                return;
            }

            var result = await world.Client.DepositAsync(batch, cancellationToken);
            var spendReceipts = await provider.Role.CompleteDepositAsync(batch, result, cancellationToken);
            if (result.Status != DepositStatus.Accepted || spendReceipts.Count == 0)
            {
                // A refused batch stays queued and would be retried for ever: stop and report it.
                Interlocked.Increment(ref tally.BatchesRefused);
                return;
            }

            Interlocked.Increment(ref tally.Batches);
            world.TreeHeads.Add(result.Receipt!.TreeHead);
            world.Figures.Add($"deposited:{provider.Category}", result.Receipt.Total.MinorUnits);
            world.Figures.Add($"deposited-to:{provider.Id}", result.Receipt.Total.MinorUnits);
            world.Figures.Add("deposited-coins", batch.Spends.Length);
            world.Figures.Add("batches", 1);
            world.Figures.SampleRows.TryAdd(
                "scheme-deposit",
                ["scheme ledger + log", $"{provider.Id} deposited {batch.Spends.Length} coins, {Money.Format(result.Receipt.Total.MinorUnits)}, log entry {result.Receipt.LogIndex}", "which provider was paid how much; not by whom"]);
            foreach (var (paid, receipt) in spendReceipts)
            {
                Interlocked.Increment(ref tally.Receipts);
                if (!world.Payers.TryRemove(paid.Id, out var worker) || !worker.Wallet.AcceptSpendReceipt(receipt, paid, world.Registry))
                {
                    Interlocked.Increment(ref tally.ReceiptsRefused);
                }
            }
        }
    }
}
