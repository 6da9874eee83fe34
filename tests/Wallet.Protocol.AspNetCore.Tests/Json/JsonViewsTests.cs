using System.Text.Json;
using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.AspNetCore.Json;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.AspNetCore.Tests.Json;

/// <summary>
/// The JSON views the endpoints serve to people (Endpoints/DirectoryAndLogTests checks they are served): field names,
/// units and formats, and that nothing beyond the public fields is written.
/// </summary>
public sealed class JsonViewsTests
{
    // Not UTC on purpose: the views always write UTC.
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 11, 0, 0, TimeSpan.FromHours(2));

    [Theory]
    [InlineData(BlindRsaScheme.Rsabssa, "RsaBlind")]
    [InlineData(BlindRsaScheme.Rsapbssa, "RsaPartiallyBlind")]
    public void KeysetViewNamesTheBlindSigningMode(BlindRsaScheme mode, string expected)
    {
        using var schemeKey = Ed25519SigningKey.Generate();

        using var view = Parse(JsonViews.Keysets([Published(mode, schemeKey)]));

        Assert.Equal(expected, view.RootElement[0].GetProperty("mode").GetString());
    }

    [Fact]
    public void KeysetViewGivesAmountsInMinorUnitsTimesInUtcAndTheSubjectPublicKeyInfo()
    {
        using var schemeKey = Ed25519SigningKey.Generate();
        var keyset = Published(BlindRsaScheme.Rsabssa, schemeKey, denomination: 1250, logIndex: 7, revoked: true);

        using var view = Parse(JsonViews.Keysets([keyset]));
        var k = view.RootElement[0];

        Assert.Equal(keyset.Announcement.Descriptor.Id.ToString(), k.GetProperty("id").GetString());
        Assert.Equal(1250, k.GetProperty("denomination").GetInt64());
        Assert.Equal("2026-01-05T09:00:00Z", k.GetProperty("withdrawFrom").GetString());
        Assert.Equal("2026-03-06T09:00:00Z", k.GetProperty("depositUntil").GetString());
        Assert.Equal(ProtocolKeys.Rsa2048.PublicKey.ExportSubjectPublicKeyInfo(), k.GetProperty("publicKey").GetBytesFromBase64());
        Assert.Equal(7UL, k.GetProperty("logIndex").GetUInt64());
        Assert.True(k.GetProperty("revoked").GetBoolean());
    }

    [Fact]
    public void KeysetViewWritesOnlyThePublicDescriptorFields()
    {
        using var schemeKey = Ed25519SigningKey.Generate();

        using var view = Parse(JsonViews.Keysets([Published(BlindRsaScheme.Rsabssa, schemeKey)]));

        Assert.Equal(
            ["denomination", "depositUntil", "epoch", "fund", "id", "logIndex", "mode", "publicKey", "revoked", "spendUntil", "withdrawFrom", "withdrawUntil"],
            Names(view.RootElement[0]));
    }

    [Fact]
    public void EmptyKeysetDirectoryIsAnEmptyArray()
    {
        using var view = Parse(JsonViews.Keysets([]));

        Assert.Equal(JsonValueKind.Array, view.RootElement.ValueKind);
        Assert.Equal(0, view.RootElement.GetArrayLength());
    }

    [Fact]
    public void RegistryViewListsProvidersWithTheirPublicReceiptKeysOnly()
    {
        using var accreditationKey = Ed25519SigningKey.Generate();
        using var receiptKey = Ed25519SigningKey.Generate(exportable: true);
        var record = new ProviderRecord(new AccountId("union-a"), "Union A", ["union", "training"], receiptKey.PublicKey, Start, Start.AddDays(365));
        var registry = AccreditationRegistry.Sign(3, Start, [record], accreditationKey);

        using var view = Parse(JsonViews.Registries([registry]));
        var r = view.RootElement[0];
        var p = r.GetProperty("providers")[0];

        Assert.Equal(["issuedAt", "providers", "version"], Names(r));
        Assert.Equal(["categories", "id", "name", "receiptKey", "validFrom", "validUntil"], Names(p));
        Assert.Equal(3u, r.GetProperty("version").GetUInt32());
        Assert.Equal("2026-01-05T09:00:00Z", r.GetProperty("issuedAt").GetString());
        // Records keep their categories sorted; the view writes them as stored.
        Assert.Equal(["training", "union"], p.GetProperty("categories").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(receiptKey.PublicKey.ToString(), p.GetProperty("receiptKey").GetString());
        byte[] seed = new byte[32];
        receiptKey.ExportSeed(seed);
        Assert.DoesNotContain(Convert.ToHexStringLower(seed), view.RootElement.GetRawText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TreeHeadViewWritesTheSignedFieldsInHexAndUtc()
    {
        using var schemeKey = Ed25519SigningKey.Generate();
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        await log.AppendAsync(new byte[] { 1 });
        await log.AppendAsync(new byte[] { 2 });
        var head = await log.SignTreeHeadAsync(schemeKey, new FakeTimeProvider(Start));

        using var view = Parse(JsonViews.TreeHead(head));
        var h = view.RootElement;

        Assert.Equal(["logId", "rootHash", "signature", "timestamp", "treeSize"], Names(h));
        Assert.Equal(2UL, h.GetProperty("treeSize").GetUInt64());
        Assert.Equal(Convert.ToHexStringLower(head.RootHash.ToArray()), h.GetProperty("rootHash").GetString());
        Assert.Equal(Convert.ToHexStringLower(head.Signature.Span), h.GetProperty("signature").GetString());
        Assert.Equal("2026-01-05T09:00:00Z", h.GetProperty("timestamp").GetString());
        Assert.Equal(Convert.ToHexStringLower(MerkleLogId.FromPublicKey(schemeKey.PublicKey).ToArray()), h.GetProperty("logId").GetString());
    }

    private static PublishedKeyset Published(BlindRsaScheme mode, Ed25519SigningKey schemeKey, long denomination = 100, ulong logIndex = 0, bool revoked = false)
    {
        var key = mode == BlindRsaScheme.Rsabssa ? ProtocolKeys.Rsa2048 : ProtocolKeys.PartiallyBlind2048;
        var descriptor = new KeysetDescriptor(1, Amount.FromMinorUnits(denomination), KeysetDescriptor.GeneralFund, Start, Start.AddDays(30), Start.AddDays(45), Start.AddDays(60), mode, key.PublicKey.ExportSubjectPublicKeyInfo());
        return new PublishedKeyset(KeysetAnnouncement.Sign(descriptor, schemeKey), logIndex, revoked);
    }

    private static JsonDocument Parse(byte[] json) => JsonDocument.Parse(json);

    private static List<string> Names(JsonElement element) => [.. element.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal)];
}
