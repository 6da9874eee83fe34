using PortableBenefits.Demo.Pilot;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Providers;
using Wallet.Protocol;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// A worker with a tampered app pays one provider, then signs the same coins over to a second provider. The second
/// provider cannot tell offline; its deposit is refused with a double-spend proof anyone can verify, and moves nothing.
/// </summary>
internal sealed class DoubleSpendAttemptStep(uint epoch) : IPilotStep
{
    public string Title => $"Epoch {epoch}: a double-spend attempt";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var cheat = world.Workers.First(w => !w.Inactive && w.Wallet.Coins.Any(c => c.Value.MinorUnits == 100));
        var honest = world.Providers.Single(p => p.Id == "assoc-independent");
        var victim = world.Providers.Single(p => p.Id == "legal-clinic");
        var before = cheat.Wallet.Coins.ToDictionary(c => c.Coin.Id);

        var first = await honest.Role.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "event ticket", TimeSpan.FromHours(1));
        var spends = cheat.Wallet.PreparePayment(first, world.Registry);
        bool honestPaid = false;
        if (spends.Status == PaymentPreparationStatus.Ready && await honest.Role.VerifyPaymentAsync(first, spends.Spends, world.AllKeysets) == PaymentVerification.Accepted
            && await honest.Role.CreateDepositAsync(world.NextDepositKey($"{epoch}-ticket")) is { } honestBatch)
        {
            world.GroundTruth.Pay(world.CurrentStep, cheat, first, spends.Spends.Select(s => s.Coin.Id));
            var deposited = await world.Client.DepositAsync(honestBatch, cancellationToken);
            honestPaid = deposited.Status == DepositStatus.Accepted && (await honest.Role.CompleteDepositAsync(honestBatch, deposited)).Count == 1;
            world.Figures.Add($"deposited:{honest.Category}", deposited.Receipt?.Total.MinorUnits ?? 0);
            world.Figures.Add($"deposited-to:{honest.Id}", deposited.Receipt?.Total.MinorUnits ?? 0);
            world.Figures.Add("deposited-coins", honestBatch.Spends.Length);
        }

        world.Checks.Check("double spend", "the first payment with the coin was deposited", honestPaid);

        // The tampered app re-signs the spent coin with its seed-derived key; the second provider's till sees valid signatures.
        long victimBalance = await world.Operator.GetBalanceAsync(LedgerAccount.Provider(victim.Role.Record.Id), cancellationToken);
        var till = new AccreditedProvider(victim.Role.Record, victim.ReceiptKey, world.SchemePublicKey, world.Clock);
        var second = await till.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "legal advice (partly)", TimeSpan.FromHours(1));
        var forged = spends.Spends.Select(s =>
        {
            var coin = before[s.Coin.Id];
            using var secrets = cheat.Seed.DeriveCoin(coin.Coin.Keyset.Bytes, coin.Counter);
            return CoinSpend.Sign(coin.Coin, second, secrets.SigningKey);
        }).ToList();
        world.Checks.Check("double spend", "the second provider's offline check cannot see the earlier spend (it accepts)", await till.VerifyPaymentAsync(second, forged, world.AllKeysets) == PaymentVerification.Accepted);

        var result = await world.Client.DepositAsync((await till.CreateDepositAsync(world.NextDepositKey($"{epoch}-till")))!, cancellationToken);
        bool proved = result.Status == DepositStatus.DoubleSpend && result.DoubleSpendProofs.Count == forged.Count
            && result.DoubleSpendProofs.All(p => p.Verify() && DoubleSpendProof.Decode(p.Encode()).Verify());
        world.Checks.Check("double spend", "the scheme refused the second deposit with a verifiable double-spend proof", proved, result.Status.ToString());
        world.Checks.Check("double spend", "the refused deposit moved nothing", await world.Operator.GetBalanceAsync(LedgerAccount.Provider(victim.Role.Record.Id), cancellationToken) == victimBalance);
        world.Figures.Add("double-spend-proofs", result.DoubleSpendProofs.Count);
        Console.WriteLine($"      {cheat.Account} re-spent {forged.Count} coin(s): deposit {result.Status}, {result.DoubleSpendProofs.Count} proof(s) verified");
    }
}
