using System.Net;
using Microsoft.AspNetCore.Builder;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Crypto.Tiles;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;

namespace Wallet.Protocol.AspNetCore.Tests.Tiles;

public sealed class TiledLogTests
{
    // The scheme's own origin: the endpoint serves the scheme's checkpoint and refuses to map under another.
    private const string Origin = BenefitScheme.DefaultCheckpointOrigin;

    [Fact]
    public async Task AMirrorRebuildsTheCheckpointRootAndEveryEntryFromTilesAlone()
    {
        var (world, server) = await ServedAsync();
        using (world)
        {
            await MirrorAsync(world, server);
        }
    }

    [Fact]
    public async Task AMirrorOfALogOnSqliteFilesRebuildsTheSameWay()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-tiles-sqlite-").FullName;
        try
        {
            await using (var ledger = await SqliteLedgerStore.OpenAsync(Path.Combine(directory, "ledger.db")))
            using (var schemeStore = SqliteSchemeStore.Open(Path.Combine(directory, "scheme.db")))
            using (var logStore = SqliteMerkleLogStore.Open(Path.Combine(directory, "log.db")))
            {
                var (world, server) = await ServedAsync(ledger, schemeStore, logStore);
                using (world)
                {
                    await MirrorAsync(world, server);
                }
            }
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task MirrorAsync(ProtocolWorld world, LoopbackScheme server)
    {
        await GrowAsync(world, 300);
        var client = new SpecTileClient(server.Http, "pb1/");
        var (origin, size, root) = await client.FetchCheckpointAsync(Vkey(world));
        Assert.Equal(Origin, origin);
        Assert.Equal(300, size);

        // Level 0: every leaf hash; the root is recomputed from them with RFC 6962 hashing written in the test.
        var leaves = new List<byte[]>();
        for (long n = 0; SpecTileClient.WidthAt(0, n, size) > 0; n++)
        {
            leaves.AddRange(await client.FetchHashTileAsync(0, n, size));
        }

        Assert.Equal(size, leaves.Count);
        Assert.Equal(root, SpecTileClient.Mth(leaves, 0, size));

        // Level 1: its one (partial) tile holds the root of the full level-0 tile below it.
        var level1 = await client.FetchHashTileAsync(1, 0, size);
        Assert.Single(level1);
        Assert.Equal(SpecTileClient.Mth(leaves, 0, 256), level1[0]);
        Assert.Equal(root, SpecTileClient.NodeHash(level1[0], SpecTileClient.Mth(leaves, 256, 44)));

        // Entry bundles: each entry hashes to its leaf, is the log's entry, and is included under the checkpoint's root.
        var entries = new List<byte[]>();
        for (long n = 0; SpecTileClient.WidthAt(0, n, size) > 0; n++)
        {
            entries.AddRange(await client.FetchEntryBundleAsync(n, size));
        }

        Assert.Equal(size, entries.Count);
        for (int i = 0; i < entries.Count; i++)
        {
            byte[] leafHash = SpecTileClient.LeafHash(entries[i]);
            Assert.Equal(leaves[i], leafHash);
            Assert.Equal((await world.Scheme.GetLogEntryAsync((ulong)i))!.Encode(), entries[i]);
            var proof = await world.Scheme.GetInclusionProofAsync((ulong)i, (ulong)size);
            Assert.True(SpecTileClient.VerifyInclusion((ulong)i, (ulong)size, leafHash, [.. proof.AuditPath.Select(h => h.ToArray())], root));
            Assert.False(SpecTileClient.VerifyInclusion((ulong)i, (ulong)size, SpecTileClient.LeafHash([.. entries[i], 0]), [.. proof.AuditPath.Select(h => h.ToArray())], root));
        }
    }

    [Fact]
    public async Task TheCheckpointAgreesWithTheSignedTreeHeadAndOpensWithTheLibrary()
    {
        var (world, server) = await ServedAsync();
        using (world)
        {
            await GrowAsync(world, 20);
            SignedTreeHead head = await world.Scheme.GetTreeHeadAsync();
            var response = await server.Http.GetAsync("pb1/checkpoint");
            Assert.Equal(TimeSpan.FromSeconds(5), response.Headers.CacheControl!.MaxAge);
            Assert.True(response.Headers.CacheControl.Public);
            var note = SignedNote.Parse(await response.Content.ReadAsByteArrayAsync());
            var verifier = new Ed25519NoteSigner(Origin, world.SchemeKey).Verifier;
            Assert.True(Checkpoint.TryOpen(note, new NoteVerifierSet([verifier]), out Checkpoint? checkpoint));
            Assert.Equal(head.TreeSize, checkpoint.TreeSize);
            Assert.Equal(head.RootHash, checkpoint.RootHash);

            var direct = Checkpoint.Parse((await world.Scheme.SignCheckpointAsync(Origin)).Text);
            Assert.Equal(checkpoint, direct);
            Assert.Equal(note, await world.Scheme.GetCheckpointAsync());
            await Assert.ThrowsAsync<ArgumentException>(() => world.Scheme.SignCheckpointAsync("https://benefits.example.org/pb1"));
            await Assert.ThrowsAsync<ArgumentException>(() => world.Scheme.SignCheckpointAsync("benefits.example.org/pb1/"));
        }
    }

    [Fact]
    public async Task PartialTilesGiveWayToFullImmutableOnesAsTheLogGrows()
    {
        var (world, server) = await ServedAsync();
        using (world)
        {
            var client = new SpecTileClient(server.Http, "pb1/");
            var (_, before, _) = await client.FetchCheckpointAsync(Vkey(world));
            Assert.InRange(before, 1, 255);
            string partialPath = SpecTileClient.TilePath("0", 0, (int)before);
            var partial = await client.GetAsync(partialPath);
            Assert.Equal(HttpStatusCode.OK, partial.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(5), partial.Headers.CacheControl!.MaxAge);
            Assert.DoesNotContain(partial.Headers.CacheControl.Extensions, e => e.Name == "immutable");
            byte[] partialBytes = await partial.Content.ReadAsByteArrayAsync();
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("tile/0/000")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("tile/entries/000")).StatusCode);
            Assert.Equal(HttpStatusCode.NotFound, (await client.GetAsync("tile/1/000.p/1")).StatusCode);

            await GrowAsync(world, 260);
            var (_, after, root) = await client.FetchCheckpointAsync(Vkey(world));
            Assert.Equal(260, after);
            foreach (string path in new[] { "tile/0/000", "tile/entries/000" })
            {
                var full = await client.GetAsync(path);
                Assert.Equal(HttpStatusCode.OK, full.StatusCode);
                Assert.True(full.Headers.CacheControl!.Public);
                Assert.Equal(TimeSpan.FromSeconds(31536000), full.Headers.CacheControl.MaxAge);
                Assert.Contains(full.Headers.CacheControl.Extensions, e => e.Name == "immutable");
            }

            byte[] fullBytes = await (await client.GetAsync("tile/0/000")).Content.ReadAsByteArrayAsync();
            Assert.Equal(8192, fullBytes.Length);
            Assert.Equal(partialBytes, fullBytes[..partialBytes.Length]);
            Assert.Equal(partialBytes, await (await client.GetAsync(partialPath)).Content.ReadAsByteArrayAsync());

            var level1 = await client.FetchHashTileAsync(1, 0, after);
            var tail = await client.FetchHashTileAsync(0, 1, after);
            Assert.Equal(root, SpecTileClient.Mth([.. fullBytes.Chunk(32), .. tail], 0, after));
            Assert.Equal(SpecTileClient.Mth([.. fullBytes.Chunk(32)], 0, 256), level1[0]);
        }
    }

    [Theory]
    [InlineData("tile/0/1", HttpStatusCode.BadRequest)]
    [InlineData("tile/0/0001", HttpStatusCode.BadRequest)]
    [InlineData("tile/00/000", HttpStatusCode.BadRequest)]
    [InlineData("tile/-1/000", HttpStatusCode.BadRequest)]
    [InlineData("tile/64/000", HttpStatusCode.BadRequest)]
    [InlineData("tile/0/x000/001", HttpStatusCode.BadRequest)]
    [InlineData("tile/0/000.p/0", HttpStatusCode.BadRequest)]
    [InlineData("tile/0/000.p/256", HttpStatusCode.BadRequest)]
    [InlineData("tile/0/000.p/05", HttpStatusCode.BadRequest)]
    [InlineData("tile/0/000.p/99999999999999999999", HttpStatusCode.BadRequest)]
    [InlineData("tile/0/x018/x446/x744/x073/x709/x551/616", HttpStatusCode.BadRequest)]
    [InlineData("tile/entries/abc", HttpStatusCode.BadRequest)]
    [InlineData("tile/0/%30%30%30", HttpStatusCode.NotFound)] // decoded before routing: tile/0/000, still partial
    [InlineData("tile/", HttpStatusCode.BadRequest)]
    [InlineData("tile/0/000.p/200", HttpStatusCode.NotFound)]
    [InlineData("tile/0/001.p/1", HttpStatusCode.NotFound)]
    [InlineData("tile/0/x018/x446/x744/x073/x709/x551/615", HttpStatusCode.NotFound)]
    [InlineData("tile/entries/000", HttpStatusCode.NotFound)]
    [InlineData("tile/entries/x001/000.p/1", HttpStatusCode.NotFound)]
    [InlineData("tile/8/000.p/1", HttpStatusCode.NotFound)]
    [InlineData("tile/63/000.p/1", HttpStatusCode.NotFound)]
    public async Task MalformedOrMissingTilesAreProblemsNeverServerErrors(string path, HttpStatusCode expected)
    {
        var (world, server) = await ServedAsync();
        using (world)
        {
            var response = await server.Http.GetAsync("pb1/" + path);
            Assert.Equal(expected, response.StatusCode);
            Assert.Equal(PbMediaTypes.Problem, response.Content.Headers.ContentType!.MediaType);
            Assert.Equal("no-store", response.Headers.CacheControl!.ToString());
        }
    }

    [Fact]
    public async Task ABundleWithAnEntryTooLongToFrameIsNotFoundNotAServerError()
    {
        var (world, server) = await ServedAsync();
        using (world)
        {
            // A registry of thousands of providers is a legitimate entry longer than a bundle's u16 length can say.
            using var key = Ed25519SigningKey.Generate();
            var records = Enumerable.Range(0, 2000).Select(i => world.Record($"provider-{i:D4}", ["union"], key));
            var registry = AccreditationRegistry.Sign(world.Registry.Version + 1, world.Registry.IssuedAt, records, world.AccreditationKey);
            Assert.True(await world.Scheme.PublishRegistryAsync(registry));
            int size = (int)(await world.Scheme.GetTreeHeadAsync()).TreeSize;
            Assert.True((await world.Scheme.GetLogEntryAsync((ulong)size - 1))!.Encode().Length > ushort.MaxValue);

            await Assert.ThrowsAsync<NotSupportedException>(() => world.Scheme.ReadTileAsync(TilePath.Entries(0, size)));
            var bundle = await server.Http.GetAsync($"pb1/tile/entries/000.p/{size}");
            Assert.Equal(HttpStatusCode.NotFound, bundle.StatusCode);
            Assert.Equal(PbMediaTypes.Problem, bundle.Content.Headers.ContentType!.MediaType);
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"pb1/tile/entries/000.p/{size - 1}")).StatusCode);
            Assert.Equal(HttpStatusCode.OK, (await server.Http.GetAsync($"pb1/tile/0/000.p/{size}")).StatusCode);
        }
    }

    [Theory]
    [InlineData("benefits.example.org/pb1")]
    [InlineData("")]
    [InlineData("https://benefits.example.org/pb1")]
    [InlineData("benefits.example.org/pb1/")]
    [InlineData("benefits example.org")]
    [InlineData("benefits+example.org")]
    [InlineData("bénéfices.example.org")]
    public async Task MappingWithoutAValidOriginFailsAtStartUp(string? origin)
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        await using var app = WebApplication.CreateSlimBuilder().Build();
        Assert.Throws<ArgumentException>(() => app.MapWalletSchemeTiles(world.Scheme, o => o.Origin = origin));
        Assert.Throws<ArgumentNullException>(() => app.MapWalletSchemeTiles(null!, o => o.Origin = Origin));
    }

    private static string Vkey(ProtocolWorld world) => new Ed25519NoteSigner(Origin, world.SchemeKey).Verifier.VerifierKey;

    private static Task<(ProtocolWorld World, LoopbackScheme Server)> ServedAsync() =>
        ServedAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());

    private static async Task<(ProtocolWorld World, LoopbackScheme Server)> ServedAsync(ILedgerStore ledger, ISchemeStore schemeStore, IMerkleLogStore logStore)
    {
        var world = await ProtocolWorld.CreateAsync(ledger, schemeStore, logStore);
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletSchemeTiles(world.Scheme, o => o.Origin = Origin)));
        return (world, server);
    }

    // Registry publications are the cheapest entries to log: each new version is one signed entry.
    private static async Task GrowAsync(ProtocolWorld world, ulong size)
    {
        var registries = await world.Scheme.ListRegistriesAsync();
        uint version = registries[^1].Version;
        for (ulong current = (await world.Scheme.GetTreeHeadAsync()).TreeSize; current < size; current++)
        {
            var registry = AccreditationRegistry.Sign(++version, world.Registry.IssuedAt, world.Registry.Providers, world.AccreditationKey);
            Assert.True(await world.Scheme.PublishRegistryAsync(registry));
        }

        Assert.Equal(size, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
    }
}
