using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Wallets;

namespace Wallet.Protocol.Tests.Keysets;

/// <summary>
/// Stores that outlive a scheme: each <see cref="OpenScheme"/> builds a new <see cref="BenefitScheme"/> over the same
/// ledger, scheme, log and clock, as a restarted process would over the same data directory.
/// </summary>
public sealed class KeyCustodyWorld : IDisposable
{
    public static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    private readonly List<IDisposable> _owned = [];

    public FakeTimeProvider Time { get; } = new(Start);

    public Ed25519SigningKey SchemeKey { get; } = Ed25519SigningKey.Generate();

    public Ed25519SigningKey AccreditationKey { get; } = Ed25519SigningKey.Generate();

    public InMemoryLedgerStore LedgerStore { get; } = new();

    public InMemorySchemeStore SchemeStore { get; } = new();

    public InMemoryMerkleLogStore LogStore { get; } = new();

    public static KeysetParameters Parameters(uint epoch = 1) =>
        new(epoch, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, Start, Start.AddDays(30), Start.AddDays(60), Start.AddDays(90));

    public BenefitScheme OpenScheme(IKeysetKeyStore keyStore) =>
        new(SchemeKey, AccreditationKey.PublicKey, new SchemeLedger(LedgerStore, Time), SchemeStore, LogStore, Time, keyStore);

    public BenefitScheme OpenSchemeWith(IKeysetSignerSource signers) =>
        new(SchemeKey, AccreditationKey.PublicKey, new SchemeLedger(LedgerStore, Time), SchemeStore, LogStore, Time, signers);

    /// <summary>A registered, funded worker whose wallet trusts every keyset the scheme logged.</summary>
    public async Task<WorkerWallet> WalletAsync(BenefitScheme scheme, string account, long contribution)
    {
        var accountKey = Own(Ed25519SigningKey.Generate());
        var id = new AccountId(account);
        await scheme.RegisterAccountAsync(id, accountKey.PublicKey);
        Assert.True((await scheme.ContributeAsync(new IdempotencyKey($"contrib-{account}"), ContributionSource.Employer, id, Amount.FromMinorUnits(contribution))).Succeeded);
        var wallet = Own(new WorkerWallet(Own(WalletSeed.Generate()), id, accountKey, scheme.PublicKey, AccreditationKey.PublicKey, Time));
        var head = await scheme.GetTreeHeadAsync();
        Assert.Equal(TreeHeadStatus.Accepted, wallet.ObserveTreeHead(head, null));
        foreach (var keyset in await scheme.ListKeysetsAsync())
        {
            Assert.True(wallet.TrustKeyset(keyset.Announcement, await scheme.GetInclusionProofAsync(keyset.LogIndex, head.TreeSize)));
        }

        return wallet;
    }

    public T Own<T>(T disposable)
        where T : IDisposable
    {
        _owned.Add(disposable);
        return disposable;
    }

    public void Dispose()
    {
        foreach (var d in Enumerable.Reverse(_owned))
        {
            d.Dispose();
        }

        SchemeKey.Dispose();
        AccreditationKey.Dispose();
    }
}
