using Wallet.Crypto.SealedFiles;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.WalletCrashWorker;

/// <summary>
/// Loads a wallet file, then repeatedly marks one more coin spent and saves the wallet over the same file until
/// killed. After each save returns it prints <c>saved &lt;balance&gt;</c>, so the parent knows which states reached
/// the disk; the save in flight when the kill lands is the one the atomic replace must make all-or-nothing.
/// </summary>
/// <remarks>
/// Usage: <c>WalletCrashWorker &lt;path&gt; &lt;passphrase&gt; &lt;seed hex&gt; &lt;account key seed hex&gt;
/// &lt;scheme key hex&gt; &lt;accreditation key hex&gt;</c>.
/// </remarks>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 6)
        {
            await Console.Error.WriteLineAsync("usage: WalletCrashWorker <path> <passphrase> <seed> <account key seed> <scheme key> <accreditation key>");
            return 2;
        }

        using var seed = WalletSeed.FromBytes(Convert.FromHexString(args[2]));
        using var accountKey = Ed25519SigningKey.FromSeed(Convert.FromHexString(args[3]));
        var schemeKey = Ed25519PublicKey.Import(Convert.FromHexString(args[4]));
        var accreditationKey = Ed25519PublicKey.Import(Convert.FromHexString(args[5]));
        using var wallet = await WorkerWallet.LoadAsync(args[0], args[1], seed, accountKey, schemeKey, accreditationKey, TimeProvider.System);
        var parameters = new SealedFileParameters(SealedFileParameters.MinMemoryKiB, SealedFileParameters.MinIterations);
        Console.WriteLine("ready");

        // A safety net if the parent dies before killing us; the test kills far sooner.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromMinutes(1))
        {
            var coins = wallet.Coins;
            if (coins.Count > 0)
            {
                wallet.MarkSpent([coins[0].Coin.Id], [true]);
            }

            await wallet.SaveAsync(args[0], args[1], parameters);
            Console.WriteLine($"saved {wallet.Balance.MinorUnits}");
        }

        return 0;
    }
}
