using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Deposits;
using Wallet.Protocol;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// Providers deposit their verified payments in batches (flow 4, up to 1,024 coins each); every receipt is checked
/// against the scheme key and its inclusion proof, and the spend receipts go back to the workers' wallets.
/// </summary>
internal sealed class ProviderDepositStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: providers deposit in batches and hand out spend receipts";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var keysets = world.Epochs.Single(e => e.Epoch == epoch);
        await world.MoveClockAsync(keysets.Start.AddDays(20), cancellationToken);
        int batches = 0, refused = 0, receiptsRefused = 0, receipts = 0;
        var byKeyset = world.AllKeysets.ToDictionary(k => k.Id);
        foreach (var provider in world.Providers)
        {
            for (int n = 1; await provider.Role.CreateDepositAsync(new IdempotencyKey($"deposit-{epoch}-{n}")) is { } request; n++)
            {
                var result = await world.Client.DepositAsync(request, cancellationToken);
                var spendReceipts = await provider.Role.CompleteDepositAsync(request, result);
                if (result.Status != DepositStatus.Accepted || spendReceipts.Count == 0)
                {
                    // A refused batch stays queued and would be retried for ever: stop and report it.
                    refused++;
                    break;
                }

                batches++;
                world.TreeHeads.Add(result.Receipt!.TreeHead);
                world.Figures.Add($"deposited:{provider.Category}", result.Receipt.Total.MinorUnits);
                world.Figures.Add($"deposited-to:{provider.Id}", result.Receipt.Total.MinorUnits);
                world.Figures.Add("deposited-coins", request.Spends.Length);
                world.Figures.Add("batches", 1);
                world.Figures.SampleRows.TryAdd(
                    "scheme-deposit",
                    ["scheme ledger + log", $"{provider.Id} deposited {request.Spends.Length} coins, {Money.Format(result.Receipt.Total.MinorUnits)}, log entry {result.Receipt.LogIndex}", "which provider was paid how much; not by whom"]);
                foreach (var (paid, receipt) in spendReceipts)
                {
                    receipts++;
                    if (!world.Payers.TryRemove(paid.Id, out var worker) || !worker.Wallet.AcceptSpendReceipt(receipt, paid, world.Registry))
                    {
                        receiptsRefused++;
                    }
                }
            }
        }

        Console.WriteLine($"      {batches} batches; {receipts:N0} spend receipts delivered to wallets");
        world.Checks.Check("deposits", $"epoch {epoch}: every batch was accepted and its receipt verified (signature, inclusion proof)", refused == 0, $"{refused} refused");
        world.Checks.Check("deposits", $"epoch {epoch}: every wallet accepted its provider's spend receipt", receiptsRefused == 0, $"{receiptsRefused} refused");
    }
}
