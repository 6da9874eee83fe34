using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Wallets;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// The parties of the mixed load and the scheme they use: one keyset, an accreditation registry of
/// <see cref="MixedLoad.Providers"/> providers, and <see cref="MixedLoad.Wallets"/> funded worker wallets that trust
/// the keyset. The scheme may be served by several nodes: everything is set up through the first node (the others
/// share its stores), and party i talks to node i mod the node count (<see cref="ClientOf"/>).
/// </summary>
internal sealed class MixedLoadWorld : IDisposable
{
    private readonly List<IDisposable> _owned;

    private MixedLoadWorld(KeysetDescriptor keyset, AccreditationRegistry registry, List<(WorkerWallet Wallet, AccountId Account)> wallets, List<AccreditedProvider> providers, IReadOnlyList<HttpSchemeClient> clients, List<IDisposable> owned)
    {
        Keyset = keyset;
        Registry = registry;
        Wallets = wallets;
        Providers = providers;
        Clients = clients;
        _owned = owned;
    }

    public KeysetDescriptor Keyset { get; }

    public AccreditationRegistry Registry { get; }

    public IReadOnlyList<(WorkerWallet Wallet, AccountId Account)> Wallets { get; }

    public IReadOnlyList<AccreditedProvider> Providers { get; }

    /// <summary>One client per node, in the order of the nodes.</summary>
    public IReadOnlyList<HttpSchemeClient> Clients { get; }

    /// <summary>The client of the node that party <paramref name="index"/> (a wallet's or a provider's index) talks to.</summary>
    public HttpSchemeClient ClientOf(int index) => Clients[index % Clients.Count];

    /// <summary>Announces the keyset, publishes the registry and funds the wallets through the first of <paramref name="nodes"/>.</summary>
    public static async Task<MixedLoadWorld> OpenAsync(HttpClient http, IReadOnlyList<SchemeServerProcess> nodes)
    {
        var clients = nodes.Select(n => new HttpSchemeClient(http, new HttpSchemeClientOptions { BaseAddress = new Uri(n.Root, "pb1/") })).ToList();
        var first = nodes[0];
        var client = clients[0];
        var op = new HttpSchemeOperatorClient(http, new HttpSchemeOperatorClientOptions
        {
            Transport = new HttpSchemeClientOptions { BaseAddress = new Uri(first.Root, "pb1/operator/") },
            OperatorKey = (await File.ReadAllTextAsync(Path.Combine(first.DataDirectory, "operator.key"))).Trim(),
        });
        var owned = new List<IDisposable>();
        try
        {
            var now = DateTimeOffset.UtcNow;
            var schemeKey = await op.GetPublicKeyAsync();
            var accreditation = Ed25519SigningKey.FromSeed(await File.ReadAllBytesAsync(Path.Combine(first.DataDirectory, "accreditation.ed25519")));
            owned.Add(accreditation);
            var keyset = (await op.AnnounceKeysetAsync(new IdempotencyKey("mixed-keyset"), new KeysetParameters(1, MixedLoad.Denomination, KeysetDescriptor.GeneralFund, now.AddHours(-1), now.AddDays(30), now.AddDays(30), now.AddDays(40), BlindRsaScheme.Rsabssa, 2048))).Announcement.Descriptor;
            var records = new List<(ProviderRecord Record, Ed25519SigningKey Key)>();
            for (int i = 0; i < MixedLoad.Providers; i++)
            {
                var key = Ed25519SigningKey.Generate();
                owned.Add(key);
                records.Add((new ProviderRecord(new AccountId($"union-{i}"), $"Union {i}", ["union"], key.PublicKey, now.AddDays(-1), now.AddDays(365)), key));
            }

            var registry = AccreditationRegistry.Sign(1, now.AddMinutes(-1), records.Select(r => r.Record), accreditation);
            if (!await op.PublishRegistryAsync(registry))
            {
                throw new InvalidOperationException("The registry was not published.");
            }

            var providers = records.Select(r => new AccreditedProvider(r.Record, r.Key, schemeKey, TimeProvider.System)).ToList();
            owned.AddRange(providers);
            var head = await client.GetTreeHeadAsync();
            var published = (await client.ListKeysetsAsync()).Single();
            var proof = await client.GetInclusionProofAsync(published.LogIndex, head.TreeSize);
            var wallets = new List<(WorkerWallet, AccountId)>();
            for (int i = 0; i < MixedLoad.Wallets; i++)
            {
                var seed = WalletSeed.Generate();
                var accountKey = Ed25519SigningKey.Generate();
                owned.Add(seed);
                owned.Add(accountKey);
                var account = new AccountId($"worker-{i}");
                await op.RegisterAccountAsync(account, accountKey.PublicKey);
                await op.ContributeAsync(new IdempotencyKey($"fund-{i}"), ContributionSource.Levy, account, Amount.FromMinorUnits(1_000_000_000));
                var wallet = new WorkerWallet(seed, account, accountKey, schemeKey, accreditation.PublicKey, TimeProvider.System);
                owned.Add(wallet);
                wallet.ObserveTreeHead(head, null);
                if (!wallet.TrustKeyset(published.Announcement, proof))
                {
                    throw new InvalidOperationException("The wallet refused the keyset.");
                }

                wallets.Add((wallet, account));
            }

            return new MixedLoadWorld(keyset, registry, wallets, providers, clients, owned);
        }
        catch
        {
            owned.ForEach(o => o.Dispose());
            throw;
        }
    }

    public void Dispose() => _owned.ForEach(o => o.Dispose());
}
