using System.Text;
using Microsoft.AspNetCore.Builder;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Witnesses;

namespace Wallet.Audit.Tool.Tests;

/// <summary>A scheme with a history worth auditing, served over loopback, and a temporary mirror directory.</summary>
public sealed class AuditScenario : IAsyncDisposable
{
    private AuditScenario(ProtocolWorld world, ServedScheme server)
    {
        World = world;
        Server = server;
        Directory = System.IO.Directory.CreateTempSubdirectory("walletcore-audit-").FullName;
    }

    public ProtocolWorld World { get; }

    public ServedScheme Server { get; }

    /// <summary>The mirror's directory.</summary>
    public string Directory { get; }

    public string MirrorFile => Path.Combine(Directory, "mirror.db");

    public string LogKey => new Ed25519NoteSigner(ServedScheme.Origin, World.SchemeKey).Verifier.VerifierKey;

    public string AccreditationKey => World.AccreditationKey.PublicKey.ToString();

    /// <summary>The anchors' arguments for a first sync.</summary>
    public string[] Anchors => ["--log-key", LogKey, "--accreditation-key", AccreditationKey];

    /// <summary>Keysets and a registry only (the world's start).</summary>
    public static async Task<AuditScenario> StartAsync()
    {
        var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        return new AuditScenario(world, await ServedScheme.StartAsync(world.Scheme));
    }

    /// <summary>
    /// A default-allocation table, a withdrawal of three coins, a payment and deposit of one, then the keyset's expiry
    /// and the default allocation of its two unspent coins.
    /// </summary>
    public async Task ActivityAsync()
    {
        var table = DefaultAllocationTable.Sign(1, ProtocolWorld.Start.AddDays(-1), [new DefaultAllocationRule("*", "*", World.UnionA.Record.Id)], World.AccreditationKey);
        Assert.True(await World.Scheme.PublishAllocationTableAsync(table));
        var (wallet, _) = await World.NewWalletAsync("worker-1", 1000);
        await World.WithdrawAsync(wallet, "w1", World.General100, World.General100, World.General100, World.General500);
        await World.PayAsync(wallet, World.UnionA, 100);
        await World.DepositAsync(World.UnionA, "d1");
        World.Time.Advance(TimeSpan.FromDays(91));
        Assert.Equal(200, (await World.Scheme.ExpireKeysetAsync(World.General100.Id))!.Value.MinorUnits);
        Assert.NotNull(await World.Scheme.AllocateExpiredAsync(World.General100.Id));
    }

    /// <summary>Publishes <paramref name="count"/> more registry versions: the cheapest entries to log.</summary>
    public async Task GrowAsync(int count, IEnumerable<ProviderRecord>? providers = null) => await GrowAsync(World.Scheme, World, count, providers);

    public static async Task GrowAsync(BenefitScheme scheme, ProtocolWorld world, int count, IEnumerable<ProviderRecord>? providers = null)
    {
        var registries = await scheme.ListRegistriesAsync();
        uint version = registries.Count == 0 ? 0 : registries[^1].Version;
        for (int i = 0; i < count; i++)
        {
            var registry = AccreditationRegistry.Sign(++version, world.Registry.IssuedAt, providers ?? world.Registry.Providers, world.AccreditationKey);
            Assert.True(await scheme.PublishRegistryAsync(registry));
        }
    }

    public async Task<ulong> SizeAsync() => (await World.Scheme.GetTreeHeadAsync()).TreeSize;

    /// <summary>
    /// Serves this scheme again with <paramref name="witness"/> (the library's role) cosigning every checkpoint served
    /// at <c>/pb1/checkpoint</c>, as a scheme that collects cosignatures does.
    /// </summary>
    /// <param name="witness">The witness.</param>
    /// <param name="uncosignedFetches">How many fetches of the checkpoint are answered before the witness's cosignature is added, as a scheme whose witness has not answered yet serves it.</param>
    /// <param name="onFetch">Called on every fetch of the checkpoint.</param>
    public Task<ServedScheme> ServeCosignedByAsync(Witness witness, int uncosignedFetches = 0, Action? onFetch = null) => ServedScheme.StartAsync(World.Scheme, app => app.Use(async (context, next) =>
    {
        if (context.Request.Path != "/pb1/checkpoint")
        {
            await next();
            return;
        }

        onFetch?.Invoke();
        if (Interlocked.Decrement(ref uncosignedFetches) >= 0)
        {
            await next();
            return;
        }

        SignedNote note = await World.Scheme.SignCheckpointAsync(ServedScheme.Origin);
        var result = await witness.AddCheckpointAsync(AddCheckpointRequest.Create(new ConsistencyProof(0, Checkpoint.Parse(note.Text).TreeSize, []), note));
        Assert.True(result.IsCosigned);
        byte[] cosigned = Encoding.UTF8.GetBytes(SignedNote.Create(note.Text, [.. note.Signatures, .. result.Cosignatures]).Format());
        context.Response.ContentType = "text/plain; charset=utf-8";
        await context.Response.Body.WriteAsync(cosigned);
    }));

    public Task<ToolRun> SyncAsync(params string[] extra) => ToolRun.RunAsync(["sync", Server.Url.ToString(), Directory, .. extra]);

    public Task<ToolRun> VerifyAsync() => ToolRun.RunAsync("verify", Directory);

    public async ValueTask DisposeAsync()
    {
        await Server.DisposeAsync();
        World.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        System.IO.Directory.Delete(Directory, recursive: true);
    }
}
