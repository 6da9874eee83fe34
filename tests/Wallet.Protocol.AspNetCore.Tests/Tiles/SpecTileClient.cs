using System.Buffers.Binary;
using System.Globalization;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace Wallet.Protocol.AspNetCore.Tests.Tiles;

/// <summary>
/// A tiled-log client written from the C2SP specs (signed-note, tlog-checkpoint, tlog-tiles) and RFC 6962 alone,
/// sharing no code with the library: it parses and verifies notes, formats tile paths and hashes Merkle trees itself.
/// </summary>
internal sealed class SpecTileClient(HttpClient http, string prefix)
{
    public HttpClient Http => http;

    public static byte[] LeafHash(ReadOnlySpan<byte> entry) => SHA256.HashData([0x00, .. entry]);

    public static byte[] NodeHash(byte[] left, byte[] right) => SHA256.HashData([0x01, .. left, .. right]);

    /// <summary>RFC 6962 section 2.1: the Merkle Tree Hash of leaf hashes [start, start + n).</summary>
    public static byte[] Mth(IReadOnlyList<byte[]> leafHashes, long start, long n)
    {
        if (n == 0)
        {
            return SHA256.HashData([]);
        }

        if (n == 1)
        {
            return leafHashes[(int)start];
        }

        long k = 1;
        while (k * 2 < n)
        {
            k *= 2;
        }

        return NodeHash(Mth(leafHashes, start, k), Mth(leafHashes, start + k, n - k));
    }

    /// <summary>RFC 9162 section 2.1.3.2: verifies an audit path for a leaf hash against a root.</summary>
    public static bool VerifyInclusion(ulong index, ulong size, byte[] leafHash, IReadOnlyList<byte[]> path, byte[] root)
    {
        if (index >= size)
        {
            return false;
        }

        ulong fn = index, sn = size - 1;
        byte[] r = leafHash;
        foreach (byte[] p in path)
        {
            if (sn == 0)
            {
                return false;
            }

            if ((fn & 1) == 1 || fn == sn)
            {
                r = NodeHash(p, r);
                while ((fn & 1) == 0 && fn != 0)
                {
                    fn >>= 1;
                    sn >>= 1;
                }
            }
            else
            {
                r = NodeHash(r, p);
            }

            fn >>= 1;
            sn >>= 1;
        }

        return sn == 0 && r.AsSpan().SequenceEqual(root);
    }

    /// <summary>tlog-tiles: the index as zero-padded 3-digit elements, all but the last prefixed with 'x'.</summary>
    public static string TilePath(string level, long index, int width)
    {
        var groups = new List<string>();
        do
        {
            groups.Insert(0, (index % 1000).ToString("000", CultureInfo.InvariantCulture));
            index /= 1000;
        }
        while (index > 0);

        string n = string.Join('/', groups.Take(groups.Count - 1).Select(g => "x" + g).Append(groups[^1]));
        return $"tile/{level}/{n}" + (width < 256 ? $".p/{width}" : string.Empty);
    }

    /// <summary>Fetches the checkpoint and verifies the log's Ed25519 signature with the vkey; returns origin, size and root.</summary>
    public async Task<(string Origin, long Size, byte[] Root)> FetchCheckpointAsync(string vkey)
    {
        var response = await http.GetAsync(prefix + "checkpoint");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/plain; charset=utf-8", response.Content.Headers.ContentType!.ToString());
        string note = Encoding.UTF8.GetString(await response.Content.ReadAsByteArrayAsync());

        // signed-note: the text ends at the last blank line; signature lines are "— <name> <base64(key id ‖ signature)>".
        int split = note.LastIndexOf("\n\n", StringComparison.Ordinal);
        Assert.True(split > 0);
        string text = note[..(split + 1)];
        string[] signatures = note[(split + 2)..].TrimEnd('\n').Split('\n');

        string[] vkeyParts = vkey.Split('+', 3);
        Assert.Equal(3, vkeyParts.Length);
        byte[] keyMaterial = Convert.FromBase64String(vkeyParts[2]);
        Assert.Equal(0x01, keyMaterial[0]);
        byte[] publicKey = keyMaterial[1..];
        byte[] keyId = SHA256.HashData([.. Encoding.UTF8.GetBytes(vkeyParts[0]), 0x0A, 0x01, .. publicKey])[..4];
        Assert.Equal(vkeyParts[1], Convert.ToHexStringLower(keyId));

        bool verified = false;
        foreach (string line in signatures)
        {
            Assert.StartsWith("\u2014 ", line);
            string[] fields = line[2..].Split(' ');
            byte[] blob = Convert.FromBase64String(fields[1]);
            if (fields[0] == vkeyParts[0] && blob.AsSpan(0, 4).SequenceEqual(keyId))
            {
                byte[] message = Encoding.UTF8.GetBytes(text);
                verified = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519.Verify(blob, 4, publicKey, 0, message, 0, message.Length);
            }
        }

        Assert.True(verified, "the log's signature verifies with its vkey");

        // tlog-checkpoint: origin, decimal size, base64 root, each on its own line.
        string[] lines = text.TrimEnd('\n').Split('\n');
        Assert.Equal(vkeyParts[0], lines[0]);
        return (lines[0], long.Parse(lines[1], NumberStyles.None, CultureInfo.InvariantCulture), Convert.FromBase64String(lines[2]));
    }

    public async Task<HttpResponseMessage> GetAsync(string relative) => await http.GetAsync(prefix + relative);

    /// <summary>Fetches the tile (level, index) as of a tree of <paramref name="size"/> leaves; returns its hashes.</summary>
    public async Task<List<byte[]>> FetchHashTileAsync(int level, long index, long size)
    {
        int width = WidthAt(level, index, size);
        var response = await GetAsync(TilePath(level.ToString(CultureInfo.InvariantCulture), index, width));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType!.MediaType);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        Assert.Equal(width * 32, body.Length);
        return [.. body.Chunk(32)];
    }

    /// <summary>Fetches the entry bundle <paramref name="index"/> as of a tree of <paramref name="size"/> leaves; returns its entries.</summary>
    public async Task<List<byte[]>> FetchEntryBundleAsync(long index, long size)
    {
        int width = WidthAt(0, index, size);
        var response = await GetAsync(TilePath("entries", index, width));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        byte[] body = await response.Content.ReadAsByteArrayAsync();
        var entries = new List<byte[]>();
        for (int offset = 0; offset < body.Length;)
        {
            int length = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(offset));
            entries.Add(body.AsSpan(offset + 2, length).ToArray());
            offset += 2 + length;
        }

        Assert.Equal(width, entries.Count);
        return entries;
    }

    /// <summary>tlog-tiles "Partial Tiles": how many hashes tile (level, index) holds in a tree of <paramref name="size"/> leaves.</summary>
    public static int WidthAt(int level, long index, long size)
    {
        long nodes = size;
        for (int i = 0; i < level; i++)
        {
            nodes /= 256;
        }

        return (int)Math.Clamp(nodes - (index * 256), 0, 256);
    }
}
