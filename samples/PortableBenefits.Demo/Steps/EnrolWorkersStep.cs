using PortableBenefits.Demo.Pilot;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Wallets;

namespace PortableBenefits.Demo.Steps;

/// <summary>Workers install the app: a fresh seed (its backup code is what survives a lost phone), an account key registered with the scheme, and preferences the simulation draws from --seed.</summary>
internal sealed class EnrolWorkersStep : IPilotStep
{
    public string Title => "Enrol workers: seed, account key, wallet";

    public async Task RunAsync(PilotWorld world, CancellationToken cancellationToken)
    {
        var random = world.Random;
        int count = world.Options.Workers;
        for (int i = 0; i < count; i++)
        {
            var employer = world.Employers[random.Next(world.Employers.Count)];
            var seed = world.Own(WalletSeed.Generate());
            var accountKey = world.Own(Ed25519SigningKey.Generate());
            var account = new AccountId($"worker-{i + 1:D5}");
            var union = random.NextDouble() < 0.6 ? world.Providers.First(p => p.Category == "union" && p.Sector == employer.Sector).Id : null;
            world.Workers.Add(new PilotWorker
            {
                Account = account,
                Employer = employer,
                Seed = seed,
                AccountKey = accountKey,
                Wallet = new WorkerWallet(seed, account, accountKey, world.SchemePublicKey, world.AccreditationKey.PublicKey, world.Clock, world.WitnessPolicy),
                SelfContributes = random.NextDouble() < 0.25,
                StateTopUp = random.NextDouble() < 0.15,
                Inactive = random.NextDouble() < 0.03,
                Union = union,
                JoinsAssociation = random.NextDouble() < 0.15,
                TrainingAppetite = employer.PaysTrainingLevy ? 0.7 : 0.0,
                LegalNeed = 0.08,
            });
            world.GroundTruth.Profile(world.Workers[^1]);
            await world.Operator.RegisterAccountAsync(account, accountKey.PublicKey, cancellationToken);
        }

        Console.WriteLine($"      {count:N0} workers at {world.Employers.Count} employers; {world.Workers.Count(w => w.Union is not null):N0} union members, {world.Workers.Count(w => w.Inactive):N0} never open the app");
    }
}
