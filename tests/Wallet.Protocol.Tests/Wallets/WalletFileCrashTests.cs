using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Wallets;

/// <summary>
/// A real child process saves the wallet over and over and is killed with SIGKILL at random moments: every time, the
/// file left behind loads, and holds either the last state the child reported saved or the one it was saving.
/// </summary>
public sealed class WalletFileCrashTests : IDisposable
{
    private const string Passphrase = "crash test passphrase";

    private readonly string _directory = Directory.CreateTempSubdirectory("walletcrash-").FullName;

    [Fact]
    public async Task AKillMidSaveLeavesTheLastSavedOrTheNewWalletNeverATornOne()
    {
        using var world = await DefaultAllocationTests.WorldAsync();
        byte[] seedBytes = RandomNumberGenerator.GetBytes(WalletSeed.Length);
        byte[] accountSeed = RandomNumberGenerator.GetBytes(32);
        using var seed = WalletSeed.FromBytes(seedBytes);
        using var accountKey = Ed25519SigningKey.FromSeed(accountSeed);
        var account = new AccountId("worker-1");
        await world.Scheme.RegisterAccountAsync(account, accountKey.PublicKey);
        await world.Scheme.ContributeAsync(new IdempotencyKey("c1"), ContributionSource.Employer, account, Amount.FromMinorUnits(1200));
        using (var wallet = new WorkerWallet(seed, account, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time))
        {
            await world.SyncAsync(wallet);
            await world.WithdrawAsync(wallet, "w1", [.. Enumerable.Repeat(world.General100, 12)]);
            await wallet.SaveAsync(PathOf(), Passphrase, WalletFileTests.Fast);
        }

        string[] keys = [Convert.ToHexString(seedBytes), Convert.ToHexString(accountSeed), Convert.ToHexString(world.Scheme.PublicKey.AsSpan()), Convert.ToHexString(world.AccreditationKey.PublicKey.AsSpan())];
        long balance = 1200;
        for (int round = 0; round < 4 && balance > 0; round++)
        {
            long lastSaved = await RunAndKillAsync(keys, TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(5, 60)));

            using var loaded = await WorkerWallet.LoadAsync(PathOf(), Passphrase, seed, accountKey, world.Scheme.PublicKey, world.AccreditationKey.PublicKey, world.Time);
            long found = loaded.Balance.MinorUnits;
            long reported = lastSaved < 0 ? balance : lastSaved;

            // Each save spends one more coin of 100: the file holds the reported state or the one being written.
            Assert.True(found == reported || found == reported - 100, $"round {round}: file holds {found}, child last reported {reported}");
            balance = found;
        }
    }

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string PathOf() => Path.Combine(_directory, "wallet.pb1");

    /// <returns>The balance of the last save the child reported complete, or -1 if none.</returns>
    private async Task<long> RunAndKillAsync(string[] keys, TimeSpan killAfterFirstSave)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(WorkerPath());
        start.ArgumentList.Add(PathOf());
        start.ArgumentList.Add(Passphrase);
        foreach (string key in keys)
        {
            start.ArgumentList.Add(key);
        }

        long lastSaved = -1;
        var firstSave = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is { } line && line.StartsWith("saved ", StringComparison.Ordinal))
            {
                Interlocked.Exchange(ref lastSaved, long.Parse(line.AsSpan(6), CultureInfo.InvariantCulture));
                firstSave.TrySetResult();
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            await firstSave.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.Delay(killAfterFirstSave);
        }
        finally
        {
            // Process.Kill is SIGKILL on Unix: no finalisers, no flush, possibly mid-write.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        Assert.True(firstSave.Task.IsCompletedSuccessfully, await stderr);

        // The last line may have been printed after the kill was sent; every printed "saved" happened before exit.
        process.WaitForExit();
        return Interlocked.Read(ref lastSaved);
    }

    private static string WorkerPath()
    {
        // tests/Wallet.Protocol.Tests/bin/<Configuration>/<tfm>/ -> tests/Wallet.Protocol.WalletCrashWorker/bin/<Configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string tfm = output.Name;
        string configuration = output.Parent!.Name;
        string tests = output.Parent.Parent!.Parent!.Parent!.FullName;
        string path = Path.Combine(tests, "Wallet.Protocol.WalletCrashWorker", "bin", configuration, tfm, "Wallet.Protocol.WalletCrashWorker.dll");
        Assert.True(File.Exists(path), $"wallet crash worker not built at {path}");
        return path;
    }
}
