using PortableBenefits.Demo.Pilot;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Steps;

/// <summary>
/// A worker loses their phone (flow 7): the new phone takes the backup code, the scheme registers a new account key,
/// and the wallet re-derives its blinded messages, fetches the stored blind signatures and asks which coins are spent.
/// </summary>
internal sealed class LostPhoneRestoreStep(uint epoch) : IPilotStep
{
    private const int Window = 64;

    public string Title => $"Epoch {epoch}: a lost phone restored from its backup code";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var worker = world.Workers.Last(w => !w.Inactive && w.Wallet.Coins.Count > 0);
        var lost = worker.Wallet;
        var expected = lost.Coins.Select(c => c.Coin.Id).ToHashSet();
        var balance = lost.Balance;
        string backupCode = worker.Seed.ToBackupCode();
        lost.Dispose();

        var seed = world.Own(WalletSeed.ParseBackupCode(backupCode));
        var accountKey = world.Own(Ed25519SigningKey.Generate());
        await world.Operator.RegisterAccountAsync(worker.Account, accountKey.PublicKey, cancellationToken);
        var wallet = new WorkerWallet(seed, worker.Account, accountKey, world.SchemePublicKey, world.AccreditationKey.PublicKey, world.Clock, world.WitnessPolicy);
        worker.Wallet = wallet;
        worker.AccountKey = accountKey;
        var view = await LogView.FetchAsync(world.Client, world.WitnessPolicy, cancellationToken);
        world.Checks.Check("restore", "the new phone accepted the log's tree head and keysets", await view.SyncAsync(wallet, cancellationToken));

        int recovered = 0;
        foreach (var keyset in wallet.Keysets)
        {
            // Counters are dense from zero: scan windows until one comes back empty.
            for (ulong first = 0; ; first += Window)
            {
                var messages = wallet.PrepareRestore(keyset.Id, first, Window);
                world.GroundTruth.RestoreFind(worker, messages);
                var signatures = await world.Client.FindBlindSignaturesAsync(messages, cancellationToken);
                recovered += wallet.CompleteRestore(keyset.Id, first, signatures);
                if (signatures.All(s => s is null))
                {
                    break;
                }
            }
        }

        var found = wallet.Coins.Select(c => c.Coin.Id).ToList();
        world.GroundTruth.RestoreAreSpent(worker, found);
        wallet.MarkSpent(found, await world.Client.AreSpentAsync(found, cancellationToken));
        bool same = wallet.Balance == balance && wallet.Coins.Select(c => c.Coin.Id).ToHashSet().SetEquals(expected);
        world.Checks.Check("restore", "the restored wallet holds exactly the lost wallet's unspent coins", same, $"{Money.Format(wallet.Balance.MinorUnits)} vs {Money.Format(balance.MinorUnits)}");
        world.Figures.Add("restored-coins", wallet.Coins.Count);
        Console.WriteLine($"      {worker.Account}: {recovered} coins re-derived, {found.Count - wallet.Coins.Count} already spent, {Money.Format(wallet.Balance.MinorUnits)} restored");
    }
}
