using System.Globalization;
using Wallet.Benchmarks.Protocol;
using Wallet.Protocol;
using Wallet.Protocol.Wallets;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// Loading a wallet's state (the plaintext of the wallet file, without the Argon2id unsealing, whose cost does not
/// depend on the coins): a 1,000-coin wallet holding 200 payments in flight is decoded, every coin is
/// checked against the seed and every payment against the coins it spends. Issue 21's target
/// is under 0.2 ms per coin.
/// </summary>
public sealed class WalletQuickSuite : IQuickSuite
{
    private const int Coins = 1000;
    private const int Payments = 200;

    /// <inheritdoc />
    public string Name => "wallets";

    /// <inheritdoc />
    public void Run(QuickReporter report)
    {
        using var world = new ProtocolBenchmarkWorld();
        var request = world.PrepareWithdrawal(Coins);
        var response = world.Scheme.WithdrawAsync(request).GetAwaiter().GetResult().Response!;
        if (world.Wallet.CompleteWithdrawal(request, response) != WithdrawalCompletion.Completed)
        {
            throw new InvalidOperationException("withdrawal failed");
        }

        // 200 payments of two coins each stay in the file (as payments awaiting their receipt do), so the load also
        // checks payments against the coins they spend.
        for (int i = 0; i < Payments; i++)
        {
            var payment = world.Provider.CreatePaymentRequestAsync(Amount.FromMinorUnits(200), "dues", TimeSpan.FromHours(1)).GetAwaiter().GetResult();
            if (world.Wallet.PreparePayment(payment, world.Registry).Status != PaymentPreparationStatus.Ready)
            {
                throw new InvalidOperationException("payment not prepared");
            }
        }

        byte[] state = world.Wallet.ExportState();
        double loads = QuickReporter.Measure(
            () =>
            {
                using var wallet = WorkerWallet.ImportState(state, world.Seed, world.AccountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, TimeProvider.System);
                if (wallet.Balance.MinorUnits == 0)
                {
                    throw new InvalidOperationException("empty wallet loaded");
                }
            },
            rounds: 5,
            roundTime: TimeSpan.FromMilliseconds(600));
        report.Line("wallet-load", Coins, "memory", loads * Coins);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"wallet-load: {1000 / (loads * Coins):F3} ms per coin for a {Coins}-coin wallet with {Payments} payments (target < 0.200)"));
    }
}
