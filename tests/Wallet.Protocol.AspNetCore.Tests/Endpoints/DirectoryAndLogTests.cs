using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Wallet.Protocol.Binding;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

public sealed class DirectoryAndLogTests
{
    [Fact]
    public async Task KeysetDirectoryIsCacheableAndRevalidatesWithETag()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var first = await Get(server, "pb1/keysets", PbMediaTypes.Keysets);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.Equal(TimeSpan.FromSeconds(60), first.Headers.CacheControl!.MaxAge);
            Assert.True(first.Headers.CacheControl.Public);
            var etag = first.Headers.ETag!;
            Assert.Equal(3, PbEnvelopes.DecodeKeysets(await first.Content.ReadAsByteArrayAsync()).Length);

            using var revalidate = new HttpRequestMessage(HttpMethod.Get, "pb1/keysets");
            revalidate.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(PbMediaTypes.Keysets));
            revalidate.Headers.IfNoneMatch.Add(etag);
            Assert.Equal(HttpStatusCode.NotModified, (await server.Http.SendAsync(revalidate)).StatusCode);

            Assert.True(await world.Scheme.RevokeKeysetAsync(world.General100.Id));
            using var changed = new HttpRequestMessage(HttpMethod.Get, "pb1/keysets");
            changed.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(PbMediaTypes.Keysets));
            changed.Headers.IfNoneMatch.Add(etag);
            var fresh = await server.Http.SendAsync(changed);
            Assert.Equal(HttpStatusCode.OK, fresh.StatusCode);
            Assert.Contains(PbEnvelopes.DecodeKeysets(await fresh.Content.ReadAsByteArrayAsync()), k => k.Revoked);
        }
    }

    [Fact]
    public async Task PeopleGetJsonViewsOfKeysetsRegistriesAndTreeHead()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            using var keysets = JsonDocument.Parse(await (await Get(server, "pb1/keysets", PbMediaTypes.Json)).Content.ReadAsStringAsync());
            Assert.Equal(world.General100.Id.ToString(), keysets.RootElement[0].GetProperty("id").GetString());
            Assert.Equal(100, keysets.RootElement[0].GetProperty("denomination").GetInt64());

            using var registries = JsonDocument.Parse(await (await Get(server, "pb1/registries", PbMediaTypes.Json)).Content.ReadAsStringAsync());
            var providers = registries.RootElement[0].GetProperty("providers").EnumerateArray().Select(p => p.GetProperty("id").GetString()).ToList();
            Assert.Equal(["trainer", "union-a", "union-b"], providers);

            var headResponse = await Get(server, "pb1/log/tree-head", PbMediaTypes.Json);
            Assert.Equal(PbMediaTypes.Json, headResponse.Content.Headers.ContentType!.MediaType);
            using var head = JsonDocument.Parse(await headResponse.Content.ReadAsStringAsync());
            var signed = await world.Scheme.GetTreeHeadAsync();
            Assert.Equal(signed.TreeSize, head.RootElement.GetProperty("treeSize").GetUInt64());
            Assert.Equal(Convert.ToHexStringLower(signed.RootHash.ToArray()), head.RootElement.GetProperty("rootHash").GetString());
        }
    }

    [Fact]
    public async Task ProofsAreImmutableAndTreeHeadsShortLived()
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var head = await Get(server, "pb1/log/tree-head", PbMediaTypes.TreeHead);
            Assert.Equal(TimeSpan.FromSeconds(5), head.Headers.CacheControl!.MaxAge);
            var proof = await Get(server, "pb1/log/inclusion-proof?index=0&tree-size=2", PbMediaTypes.InclusionProof);
            Assert.Equal(HttpStatusCode.OK, proof.StatusCode);
            Assert.Contains("immutable", proof.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
            var consistency = await Get(server, "pb1/log/consistency-proof?old-size=1&new-size=3", PbMediaTypes.ConsistencyProof);
            Assert.Contains("immutable", consistency.Headers.CacheControl!.ToString(), StringComparison.Ordinal);
        }
    }

    private static async Task<HttpResponseMessage> Get(LoopbackScheme server, string path, string accept)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
        return await server.Http.SendAsync(request);
    }
}
