using Wallet.Benchmarks.Protocol;
using Wallet.Crypto.SealedFiles;
using Wallet.Protocol.Wallets;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// The sealed wallet file with 32 coins: state encode, state decode (re-deriving every coin from the seed), and a save
/// (seal + temp file + fsync + rename) and a load at the cheapest Argon2id cost, so the figures show the file format
/// rather than the passphrase hardening (at the default cost Argon2id dominates by design; see the BenchmarkDotNet class).
/// </summary>
public sealed class WalletFileQuickSuite : IQuickSuite
{
    private const int Coins = 32;
    private const string Passphrase = "quick benchmark";

    public string Name => "walletfile";

    public void Run(QuickReporter report)
    {
        using var world = new ProtocolBenchmarkWorld();
        var request = world.PrepareWithdrawal(Coins);
        var response = world.Scheme.WithdrawAsync(request).GetAwaiter().GetResult().Response!;
        if (world.Wallet.CompleteWithdrawal(request, response) != WithdrawalCompletion.Completed)
        {
            throw new InvalidOperationException("withdrawal failed");
        }

        var round = TimeSpan.FromMilliseconds(100);
        var cheapest = new SealedFileParameters(SealedFileParameters.MinMemoryKiB, SealedFileParameters.MinIterations);
        string directory = Directory.CreateTempSubdirectory("walletquick-").FullName;
        try
        {
            string path = Path.Combine(directory, "wallet.pb1");
            byte[] state = world.Wallet.ExportState();
            report.Note($"wallet state with {Coins} coins: {state.Length} bytes");

            report.Line("wallet-state-export", Coins, "memory", QuickReporter.Measure(() => world.Wallet.ExportState(), rounds: 3, roundTime: round));
            report.Line("wallet-state-import", Coins, "memory", QuickReporter.Measure(
                () =>
                {
                    using var wallet = WorkerWallet.ImportState(state, world.Seed, world.AccountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, TimeProvider.System);
                },
                rounds: 3,
                roundTime: round));
            report.Line("wallet-file-save-min-argon2", Coins, "file", QuickReporter.Measure(
                () => world.Wallet.SaveAsync(path, Passphrase, cheapest).GetAwaiter().GetResult(), rounds: 3, roundTime: round));
            report.Line("wallet-file-load-min-argon2", Coins, "file", QuickReporter.Measure(() => Load(world, path), rounds: 3, roundTime: round));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static void Load(ProtocolBenchmarkWorld world, string path)
    {
        using var wallet = WorkerWallet.LoadAsync(path, Passphrase, world.Seed, world.AccountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, TimeProvider.System).GetAwaiter().GetResult();
    }
}
