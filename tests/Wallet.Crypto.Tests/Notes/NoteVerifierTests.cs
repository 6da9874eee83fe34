using System.Security.Cryptography;
using System.Text;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using static Wallet.Crypto.Tests.Notes.NoteTestKeys;

namespace Wallet.Crypto.Tests.Notes;

public sealed class NoteVerifierTests
{
    [Theory]
    [InlineData(PeterVerifierKey, "PeterNeumann", 0xc74f20a3u)]
    [InlineData(SumDbVerifierKey, "sum.golang.org", 0x033de0aeu)]
    public void PublishedVerifierKeysParseAndFormatExactly(string verifierKey, string name, uint keyId)
    {
        NoteVerifier verifier = NoteVerifier.Parse(verifierKey);

        Ed25519NoteVerifier ed25519 = Assert.IsType<Ed25519NoteVerifier>(verifier);
        Assert.Equal((name, keyId, (byte)0x01), (ed25519.Name, ed25519.KeyId, ed25519.SignatureType));
        Assert.Equal(verifierKey, verifier.VerifierKey);
        Assert.Equal(verifierKey, verifier.ToString());
    }

    [Fact]
    public void KeyIdIsTheFirstFourBytesOfTheHashOfNameNewlineTypeAndKey()
    {
        byte[] input = [.. Encoding.UTF8.GetBytes(Origin), 0x0A, 0x01, .. LogKey.PublicKey.AsSpan()];
        uint expected = System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(SHA256.HashData(input));

        Assert.Equal(expected, new Ed25519NoteVerifier(Origin, LogKey.PublicKey).KeyId);
        Assert.Equal(expected, LogSigner.KeyId);
    }

    [Fact]
    public void GeneratedVerifierKeysRoundTrip()
    {
        var note = new Ed25519NoteVerifier(Origin, LogKey.PublicKey);
        var witness = new CosignatureV1Verifier("witness.example/w1", WitnessKey.PublicKey);

        Assert.Equal(note, NoteVerifier.Parse(note.VerifierKey));
        Assert.Equal(witness, Assert.IsType<CosignatureV1Verifier>(NoteVerifier.Parse(witness.VerifierKey)));
        Assert.NotEqual(note.KeyId, new CosignatureV1Verifier(Origin, LogKey.PublicKey).KeyId);
    }

    public static TheoryData<string, string> MalformedVerifierKeys()
    {
        string material = PeterVerifierKey.Split('+', 3)[2];
        string Material(byte type, ReadOnlySpan<byte> key) => Convert.ToBase64String([type, .. key]);
        byte[] identity = new byte[32];
        identity[0] = 1; // the neutral point, of small order
        return new TheoryData<string, string>
        {
            { "wrong key ID", "PeterNeumann+c74f20a4+" + material },
            { "key ID of another name", "PeterNeumanm+c74f20a3+" + material },
            { "upper-case key ID", "PeterNeumann+C74F20A3+" + material },
            { "short key ID", "PeterNeumann+c74f20a+" + material },
            { "key ID with a sign", "PeterNeumann+-74f20a3+" + material },
            { "missing key ID", "PeterNeumann+" + material },
            { "missing material", "PeterNeumann+c74f20a3" },
            { "empty name", "+c74f20a3+" + material },
            { "name with a space", "Peter Neumann+c74f20a3+" + material },
            { "bad base64", "PeterNeumann+c74f20a3+" + material.Replace('/', '_') },
            { "truncated key", "PeterNeumann+c74f20a3+" + Material(0x01, Convert.FromBase64String(material).AsSpan(1, 31)) },
            { "unsupported type 0x02", "PeterNeumann+c74f20a3+" + Material(0x02, Convert.FromBase64String(material).AsSpan(1)) },
            { "small-order key", "PeterNeumann+c74f20a3+" + Material(0x01, identity) },
            { "empty", "" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedVerifierKeys))]
    public void MalformedVerifierKeyIsRefusedWithTheTypedException(string name, string verifierKey)
    {
        Assert.NotNull(name);
        Assert.Throws<NoteFormatException>(() => NoteVerifier.Parse(verifierKey));
    }

    [Fact]
    public void ConstructorsCheckTheirArguments()
    {
        Assert.Throws<ArgumentNullException>("name", () => new Ed25519NoteVerifier(null!, LogKey.PublicKey));
        Assert.Throws<ArgumentNullException>("publicKey", () => new Ed25519NoteVerifier(Origin, null!));
        Assert.Throws<ArgumentException>("name", () => new Ed25519NoteVerifier("a+b", LogKey.PublicKey));
        Assert.Throws<ArgumentException>("name", () => new Ed25519NoteSigner("a b", LogKey));
        Assert.Throws<ArgumentNullException>("key", () => new Ed25519NoteSigner(Origin, null!));
        Assert.Throws<ArgumentNullException>("verifierKey", () => NoteVerifier.Parse(null!));
    }

    [Fact]
    public void SignerShowsItsVerifierKeyAndNoSecret()
    {
        using var key = Ed25519SigningKey.Generate(exportable: true);
        var seed = new byte[Ed25519SigningKey.SeedLength];
        key.ExportSeed(seed);
        var signer = new Ed25519NoteSigner("log.example/x", key);
        var cosigner = new CosignatureV1Signer("witness.example/x", key, TimeProvider.System);

        foreach (string shown in new[] { signer.ToString(), cosigner.ToString() })
        {
            Assert.DoesNotContain(Convert.ToHexStringLower(seed), shown, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(seed), shown, StringComparison.Ordinal);
            Assert.DoesNotContain(Convert.ToBase64String([0x01, .. seed]), shown, StringComparison.Ordinal);
        }

        Assert.Contains(signer.Verifier.VerifierKey, signer.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void NoSignableTextEqualsADomainFramedMessage()
    {
        // Why the log key may sign note texts unframed (PROTOCOL.md 5.12): every framed message holds a 0x00 byte.
        byte[] framed = Wallet.Crypto.Merkle.SignedTreeHead.Domain.Frame("x\n"u8);

        Assert.Contains((byte)0x00, framed);
        Assert.Throws<ArgumentException>("text", () => LogSigner.Sign(Encoding.Latin1.GetString(framed)));
    }

    [Fact]
    public void SigningWithADisposedKeyThrows()
    {
        var key = Ed25519SigningKey.Generate();
        var signer = new Ed25519NoteSigner("log.example/x", key);
        key.Dispose();

        Assert.Throws<ObjectDisposedException>(() => signer.Sign("t\n"));
    }
}
