using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Roles;

/// <summary>The two role surfaces of the scheme, driven only through their interfaces on the in-process scheme.</summary>
public sealed class SchemeRoleTests
{
    [Fact]
    public async Task ListedKeysetsAreAnnouncementsSignedByTheSchemeKey()
    {
        using var world = await NewWorldAsync();
        ISchemeClient client = world.Scheme;
        using var stranger = Ed25519SigningKey.Generate();

        var keysets = await client.ListKeysetsAsync();

        Assert.Equal(world.AllKeysets.Select(d => d.Id).Order(), keysets.Select(k => k.Announcement.Descriptor.Id).Order());
        Assert.All(keysets, k => Assert.True(k.Announcement.Verify(world.Scheme.PublicKey)));
        Assert.All(keysets, k => Assert.False(k.Announcement.Verify(stranger.PublicKey)));
        Assert.All(keysets, k => Assert.False(k.Revoked));
    }

    [Fact]
    public async Task ListedKeysetLogIndexResolvesToThatKeysetsAnnouncementEntry()
    {
        using var world = await NewWorldAsync();
        ISchemeClient client = world.Scheme;

        foreach (var keyset in await client.ListKeysetsAsync())
        {
            var entry = await client.GetLogEntryAsync(keyset.LogIndex);

            Assert.NotNull(entry);
            Assert.Equal(LogEntryKind.KeysetAnnounced, entry.Kind);
            Assert.Equal(keyset.Announcement.Encode(), entry.Keyset!.Encode());
        }
    }

    [Fact]
    public async Task ListedKeysetLogIndexIsProvablyInTheSignedLog()
    {
        using var world = await NewWorldAsync();
        ISchemeClient client = world.Scheme;
        var head = await client.GetTreeHeadAsync();
        Assert.True(head.Verify(world.Scheme.PublicKey));

        foreach (var keyset in await client.ListKeysetsAsync())
        {
            var proof = await client.GetInclusionProofAsync(keyset.LogIndex, head.TreeSize);

            Assert.True(proof.Verify(LogEntry.ForKeyset(keyset.Announcement).LeafHash(), head));
        }
    }

    [Fact]
    public async Task RevokedKeysetStaysListedAsRevoked()
    {
        using var world = await NewWorldAsync();
        ISchemeClient client = world.Scheme;
        Assert.True(await world.Scheme.RevokeKeysetAsync(world.Training100.Id));

        var keysets = await client.ListKeysetsAsync();

        Assert.True(Assert.Single(keysets, k => k.Announcement.Descriptor.Id == world.Training100.Id).Revoked);
        Assert.Equal(2, keysets.Count(k => !k.Revoked));
    }

    [Fact]
    public async Task ContributionRetriedWithTheSameIdempotencyKeyMovesValueOnce()
    {
        using var world = await NewWorldAsync();
        ISchemeOperator op = world.Scheme;
        var worker = new AccountId("worker-1");
        var key = new IdempotencyKey("payroll-2026-01-worker-1");

        var first = await op.ContributeAsync(key, ContributionSource.Employer, worker, Amount.FromMinorUnits(300));
        var retried = await op.ContributeAsync(key, ContributionSource.Employer, worker, Amount.FromMinorUnits(300));

        Assert.Equal(new ContributionResult(LedgerStatus.Applied, IsReplay: false), first);
        Assert.Equal(new ContributionResult(LedgerStatus.Applied, IsReplay: true), retried);
        Assert.Equal(300, await op.GetBalanceAsync(LedgerAccount.Worker(worker)));
        Assert.Equal(-300, await op.GetBalanceAsync(LedgerAccount.Contribution(ContributionSource.Employer)));
        Assert.True((await op.VerifyLedgerAsync()).IsValid);
    }

    [Fact]
    public async Task ContributionReusingAKeyForADifferentAmountIsRefusedAndMovesNothing()
    {
        using var world = await NewWorldAsync();
        ISchemeOperator op = world.Scheme;
        var worker = new AccountId("worker-1");
        var key = new IdempotencyKey("payroll-2026-01-worker-1");
        await op.ContributeAsync(key, ContributionSource.Employer, worker, Amount.FromMinorUnits(300));

        var reused = await op.ContributeAsync(key, ContributionSource.Employer, worker, Amount.FromMinorUnits(500));

        Assert.Equal(LedgerStatus.IdempotencyKeyReused, reused.Status);
        Assert.False(reused.Succeeded);
        Assert.Equal(300, await op.GetBalanceAsync(LedgerAccount.Worker(worker)));
    }

    [Fact]
    public async Task OperatorSeesTheSchemeKeyThatSignsTreeHeads()
    {
        using var world = await NewWorldAsync();
        ISchemeOperator op = world.Scheme;

        var key = await op.GetPublicKeyAsync();

        Assert.Equal(world.SchemeKey.PublicKey, key);
        Assert.True((await world.Scheme.GetTreeHeadAsync()).Verify(key));
    }

    private static Task<ProtocolWorld> NewWorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
}
