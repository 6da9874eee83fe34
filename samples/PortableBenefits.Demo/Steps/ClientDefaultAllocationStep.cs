using PortableBenefits.Demo.Pilot;
using Wallet.Protocol;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// A few days before the month's coins stop being spendable, some apps apply the default-allocation table themselves
/// (PROTOCOL.md 5.8): the coins about to expire are paid to the provider the table names for the worker's sector and
/// region, in parts the size of that provider's ordinary price, each at its own random moment.
/// </summary>
internal sealed class ClientDefaultAllocationStep(uint epoch) : IPilotStep
{
    private const int Wallets = 25;

    public string Title => $"Epoch {epoch}: a few apps pay their expiring coins to their default provider";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var keysets = world.Epochs.Single(e => e.Epoch == epoch);
        var spendUntil = keysets.All.Min(k => k.SpendUntil);
        await world.MoveClockAsync(spendUntil.AddDays(-3), cancellationToken);
        var providers = world.Providers.ToDictionary(p => p.Id);

        // Each wallet's expiring coins go in parts no larger than the default provider's ordinary price, each at its own
        // random moment (PROTOCOL.md 5.8): one whole-balance payment to a sector-chosen provider was a telltale shape.
        var parts = new List<(PilotWorker Worker, DefaultAllocationPart Part)>();
        int wallets = 0;
        foreach (var worker in world.Workers.Where(w => !w.Inactive && w.Wallet.Balance.MinorUnits > 0).Take(Wallets))
        {
            var price = Amount.FromMinorUnits(providers[world.AllocationTable.Resolve(worker.Employer.Sector, worker.Employer.Region).Value].Price);
            var plan = worker.Wallet.PlanDefaultAllocation(TimeSpan.FromDays(7), world.AllocationTable, world.Registry, worker.Employer.Sector, worker.Employer.Region, price);
            if (plan.Status == DefaultAllocationPlanStatus.Ready)
            {
                wallets++;
                parts.AddRange(plan.Parts.Select(p => (worker, p)));
            }
        }

        var used = new HashSet<PilotProvider>();
        int paid = 0, refused = 0;
        long value = 0;
        foreach (var (worker, part) in parts.OrderBy(p => p.Part.NotBefore))
        {
            if (part.NotBefore > world.Clock.Now)
            {
                await world.MoveClockAsync(part.NotBefore, cancellationToken);
            }

            var provider = providers[part.Provider.Value];
            var request = await provider.Role.CreatePaymentRequestAsync(part.Amount, "default allocation before expiry", TimeSpan.FromHours(1));
            var prepared = worker.Wallet.PrepareDefaultAllocationPayment(part, request, world.Registry);
            if (prepared.Status != PaymentPreparationStatus.Ready || await provider.Role.VerifyPaymentAsync(request, prepared.Spends, world.AllKeysets) != PaymentVerification.Accepted)
            {
                refused++;
                continue;
            }

            world.Payers[request.Id] = worker;
            world.GroundTruth.Pay(world.CurrentStep, worker, request, prepared.Spends.Select(s => s.Coin.Id));
            used.Add(provider);
            paid++;
            value += part.Amount.MinorUnits;
        }

        var tally = new ActivityTally();
        foreach (var provider in used)
        {
            await ProviderDeposits.RunAsync(world, provider, null, $"{epoch}-default", tally, cancellationToken);
        }

        world.Figures.Add("client-allocated", value);
        world.Checks.Check("default allocation", $"epoch {epoch}: every planned client-side allocation was prepared by the wallet and accepted by the provider", refused == 0, $"{refused} refused");
        world.Checks.Check("default allocation", $"epoch {epoch}: the default providers' deposits and spend receipts were accepted", tally.BatchesRefused == 0 && tally.ReceiptsRefused == 0 && tally.Receipts == paid, $"{tally.BatchesRefused} batches, {tally.ReceiptsRefused} receipts refused, {tally.Receipts} receipts for {paid} payments");
        Console.WriteLine($"      {wallets} wallets paid {Money.Format(value)} of expiring coins in {paid} ordinary-sized payments at their own times to {string.Join(", ", used.Select(p => p.Id).Order(StringComparer.Ordinal))}");
    }
}
