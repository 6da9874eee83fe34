using System.Text;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using static Wallet.Crypto.Tests.Notes.NoteTestKeys;

namespace Wallet.Crypto.Tests.Notes;

public sealed class CheckpointTests
{
    private static readonly NoteVerifierSet LogKeys = new(LogSigner.Verifier);

    [Fact]
    public void SpecExampleCheckpointParsesExactly()
    {
        Checkpoint checkpoint = Checkpoint.Parse(SofaText);

        Assert.Equal("example.com/behind-the-sofa", checkpoint.Origin);
        Assert.Equal(20852163UL, checkpoint.TreeSize);
        Assert.Equal(MerkleHash.Parse("0ac5186a91863e8e1d90c808014aa89bf5da8e3ee1d9f07630f0378f68f1ab62"), checkpoint.RootHash);
        Assert.Empty(checkpoint.Extensions);
        Assert.Equal(SofaText, checkpoint.ToText());
    }

    [Fact]
    public void ProductionCheckpointOfTheGoChecksumDatabaseVerifiesAndParses()
    {
        SignedNote note = SignedNote.Parse(Encoding.UTF8.GetBytes(SumDbNote));

        NoteVerificationResult result = new NoteVerifierSet(NoteVerifier.Parse(SumDbVerifierKey)).Verify(note);
        Checkpoint checkpoint = Checkpoint.Parse(note.Text);

        Assert.True(result.IsVerified);
        Assert.Equal(("go.sum database tree", 6476701UL), (checkpoint.Origin, checkpoint.TreeSize));
        Assert.Equal(Convert.FromBase64String("mb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk="), checkpoint.RootHash.ToArray());

        // Its key is not named after its origin, which WalletCore's checkpoints require, so TryOpen refuses it.
        Assert.False(Checkpoint.TryOpen(note, new NoteVerifierSet(NoteVerifier.Parse(SumDbVerifierKey)), out _));
    }

    [Fact]
    public void CheckpointTextIsOriginSizeAndBase64Root()
    {
        Checkpoint checkpoint = Checkpoint.Create(Origin, 1234, Root);

        Assert.Equal($"{Origin}\n1234\n{Convert.ToBase64String(Root.ToArray())}\n", checkpoint.ToText());
        Assert.Equal($"{Origin}\n0\n47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=\n", Checkpoint.Create(Origin, 0, MerkleTree.EmptyRoot).ToText());
    }

    [Fact]
    public void CheckpointProducedHereVerifiesWithTheIndependentImplementation()
    {
        MerkleHash[] leaves = [.. Enumerable.Range(0, 7).Select(i => MerkleTree.HashLeaf([(byte)i]))];
        MerkleHash root = MerkleTree.ComputeRoot(leaves);
        byte[] encoded = Checkpoint.Create(Origin, 7, root).Sign(LogSigner).Encode();

        Assert.True(SpecNoteVerifier.Verifies(encoded, LogSigner.Verifier.VerifierKey));
        (string origin, ulong size, byte[] rootHash) = SpecNoteVerifier.ReadCheckpoint(SpecNoteVerifier.TextOf(encoded));
        Assert.Equal((Origin, 7UL), (origin, size));
        Assert.Equal(root.ToArray(), rootHash);
    }

    [Fact]
    public void KnownAnswerCheckpointMatchesTheProtocolDocument()
    {
        // docs/PROTOCOL.md 5.12; computed independently with Python's hashlib and pyca/cryptography Ed25519.
        const string Expected =
            "benefits.example.org/walletcore\n7\nNWAZGAMChESyMgGKwEf9tWHAnCOnpodsheCLXk1I6fM=\n\n" +
            "— benefits.example.org/walletcore 0lb93lovhcuTRlkwwVR4TjM7gekSlB+fDeljmXqwV97JPo+6ASVKl1ETdc/KeJgGMEASbIhjyiiC7RyjseHmthwNYQU=\n";
        MerkleHash root = MerkleTree.ComputeRoot([.. Enumerable.Range(0, 7).Select(i => MerkleTree.HashLeaf([(byte)i]))]);

        Assert.Equal("benefits.example.org/walletcore+d256fdde+AXd26HC5M1TyoLJMI/KjbMToDiIyGMG5eSb90Bg5aiub", LogSigner.Verifier.VerifierKey);
        Assert.Equal(MerkleHash.Parse("3560191803028444b232018ac047fdb561c09c23a7a6876c85e08b5e4d48e9f3"), root);
        Assert.Equal(Expected, Checkpoint.Create(Origin, 7, root).Sign(LogSigner).Format());
    }

    [Fact]
    public void IndependentImplementationRejectsATamperedOrForeignCheckpoint()
    {
        byte[] encoded = Checkpoint.Create(Origin, 7, Root).Sign(LogSigner).Encode();
        byte[] tampered = Encoding.UTF8.GetBytes(Encoding.UTF8.GetString(encoded).Replace("\n7\n", "\n8\n", StringComparison.Ordinal));

        Assert.False(SpecNoteVerifier.Verifies(tampered, LogSigner.Verifier.VerifierKey));
        Assert.False(SpecNoteVerifier.Verifies(encoded, new Ed25519NoteSigner(Origin, OtherKey).Verifier.VerifierKey));
        Assert.True(SpecNoteVerifier.Verifies(Encoding.UTF8.GetBytes(PeterNote), PeterVerifierKey));
    }

    [Theory]
    [InlineData(0UL)]
    [InlineData(1UL)]
    [InlineData(20852163UL)]
    [InlineData(ulong.MaxValue)]
    public void SignedCheckpointRoundTripsThroughBytes(ulong treeSize)
    {
        var checkpoint = Checkpoint.Create(Origin, treeSize, treeSize == 0 ? MerkleTree.EmptyRoot : Root);

        SignedNote note = SignedNote.Parse(checkpoint.Sign(LogSigner).Encode());

        Assert.True(Checkpoint.TryOpen(note, LogKeys, out Checkpoint? opened));
        Assert.Equal(checkpoint, opened);
        Assert.Equal(checkpoint.ToText(), note.Text);
    }

    [Fact]
    public void ExtensionLinesRoundTrip()
    {
        var checkpoint = Checkpoint.Create(Origin, 5, Root, ["ext one", "— two"]);

        Assert.True(Checkpoint.TryOpen(checkpoint.Sign(LogSigner), LogKeys, out Checkpoint? opened));
        Assert.Equal<string>(["ext one", "— two"], opened.Extensions);
        Assert.EndsWith("\next one\n— two\n", checkpoint.ToText(), StringComparison.Ordinal);
    }

    [Fact]
    public void TamperedCheckpointDoesNotOpen()
    {
        string encoded = Checkpoint.Create(Origin, 5, Root).Sign(LogSigner).Format();
        SignedNote tampered = SignedNote.Parse(encoded.Replace("\n5\n", "\n6\n", StringComparison.Ordinal));

        Assert.False(Checkpoint.TryOpen(tampered, LogKeys, out Checkpoint? opened));
        Assert.Null(opened);
    }

    [Fact]
    public void CheckpointSignedByAnUntrustedKeyDoesNotOpen()
    {
        SignedNote note = Checkpoint.Create(Origin, 5, Root).Sign(new Ed25519NoteSigner(Origin, OtherKey));

        Assert.False(Checkpoint.TryOpen(note, LogKeys, out _));
    }

    [Fact]
    public void TrustedKeyOfAnotherOriginDoesNotOpenTheCheckpoint()
    {
        var other = new Ed25519NoteSigner("other.example/log", OtherKey);
        string text = Checkpoint.Create(Origin, 5, Root).ToText();
        SignedNote note = SignedNote.Create(text, [other.Sign(text)]);

        Assert.True(new NoteVerifierSet(other.Verifier).Verify(note).IsVerified);
        Assert.False(Checkpoint.TryOpen(note, new NoteVerifierSet(other.Verifier), out _));
    }

    [Fact]
    public void WitnessCosignatureAloneDoesNotOpenTheCheckpoint()
    {
        var checkpoint = Checkpoint.Create(Origin, 5, Root);
        var witness = new CosignatureV1Signer(Origin, WitnessKey, TimeProvider.System);
        SignedNote note = SignedNote.Create(checkpoint.ToText(), [witness.Sign(checkpoint)]);

        Assert.True(new NoteVerifierSet(witness.Verifier).Verify(note).IsVerified);
        Assert.False(Checkpoint.TryOpen(note, new NoteVerifierSet(witness.Verifier), out _));
    }

    [Fact]
    public void VerifiedNoteThatIsNotACheckpointThrowsTheTypedException()
    {
        SignedNote note = SignedNote.Create("not\na checkpoint\n", [LogSigner.Sign("not\na checkpoint\n")]);

        Assert.Throws<NoteFormatException>(() => Checkpoint.TryOpen(note, LogKeys, out _));
    }

    [Fact]
    public void UnverifiedNoteIsNotParsed()
    {
        // The text must be ignored until verified: a malformed text under an unknown key is refused, not parsed.
        var other = new Ed25519NoteSigner("other.example/log", OtherKey);
        SignedNote note = SignedNote.Create("garbage\n", [other.Sign("garbage\n")]);

        Assert.False(Checkpoint.TryOpen(note, LogKeys, out _));
    }

    public static TheoryData<string, string> MalformedCheckpoints()
    {
        string root = Convert.ToBase64String(Root.ToArray());
        return new TheoryData<string, string>
        {
            { "empty origin", $"\n5\n{root}\n" },
            { "two lines only", $"{Origin}\n5\n" },
            { "missing final newline", $"{Origin}\n5\n{root}" },
            { "size with a leading zero", $"{Origin}\n05\n{root}\n" },
            { "size zero written 00", $"{Origin}\n00\n{Convert.ToBase64String(MerkleTree.EmptyRoot.ToArray())}\n" },
            { "size with a plus sign", $"{Origin}\n+5\n{root}\n" },
            { "negative size", $"{Origin}\n-5\n{root}\n" },
            { "size with a space", $"{Origin}\n 5\n{root}\n" },
            { "size in hex", $"{Origin}\n0x5\n{root}\n" },
            { "size with an exponent", $"{Origin}\n5e3\n{root}\n" },
            { "size with non-ASCII digits", $"{Origin}\n\u0665\n{root}\n" },
            { "empty size", $"{Origin}\n\n{root}\n" },
            { "size out of range", $"{Origin}\n18446744073709551616\n{root}\n" },
            { "size far out of range", $"{Origin}\n{new string('9', 40)}\n{root}\n" },
            { "root of 31 bytes", $"{Origin}\n5\n{Convert.ToBase64String(new byte[31])}\n" },
            { "root of 33 bytes", $"{Origin}\n5\n{Convert.ToBase64String(new byte[33])}\n" },
            { "root in hex", $"{Origin}\n5\n{Root}\n" },
            { "root in URL-safe base64", $"{Origin}\n0\n{Convert.ToBase64String(MerkleTree.EmptyRoot.ToArray()).Replace('+', '-').Replace('/', '_')}\n" },
            { "root without padding", $"{Origin}\n5\n{root.TrimEnd('=')}\n" },
            { "root with trailing space", $"{Origin}\n5\n{root} \n" },
            { "empty root", $"{Origin}\n5\n\n" },
            { "empty tree with a non-empty root", $"{Origin}\n0\n{root}\n" },
            { "empty extension line", $"{Origin}\n5\n{root}\n\next\n" },
            { "control character", $"{Origin}\n5\n{root}\nbell\u0007\n" },
            { "carriage return", $"{Origin}\r\n5\n{root}\n" },
        };
    }

    [Theory]
    [MemberData(nameof(MalformedCheckpoints))]
    public void MalformedCheckpointIsRefusedWithTheTypedException(string name, string text)
    {
        Assert.NotNull(name);
        Assert.Throws<NoteFormatException>(() => Checkpoint.Parse(text));
    }

    /// <summary>The malformed checkpoints that are still note texts, so the log can sign them.</summary>
    public static TheoryData<string, string> MalformedSignableCheckpoints()
    {
        var cases = new TheoryData<string, string>();
        foreach (object[] row in MalformedCheckpoints())
        {
            var (name, text) = ((string)row[0], (string)row[1]);
            if (text.EndsWith('\n') && !text.Contains('\r') && !text.Contains('\u0007'))
            {
                cases.Add(name, text);
            }
        }

        return cases;
    }

    [Theory]
    [MemberData(nameof(MalformedSignableCheckpoints))]
    public void MalformedCheckpointSignedByTheLogStillFailsToOpen(string name, string text)
    {
        Assert.NotNull(name);
        SignedNote note = SignedNote.Parse(SignedNote.Create(text, [LogSigner.Sign(text)]).Encode());
        Assert.Throws<NoteFormatException>(() => Checkpoint.TryOpen(note, LogKeys, out _));
    }

    [Fact]
    public void CreateChecksItsArguments()
    {
        Assert.Throws<ArgumentNullException>("origin", () => Checkpoint.Create(null!, 1, Root));
        Assert.Throws<ArgumentException>("origin", () => Checkpoint.Create("", 1, Root));
        Assert.Throws<ArgumentException>("origin", () => Checkpoint.Create("has space", 1, Root));
        Assert.Throws<ArgumentException>("origin", () => Checkpoint.Create("a+b", 1, Root));
        Assert.Throws<ArgumentException>("origin", () => Checkpoint.Create("two\nlines", 1, Root));
        Assert.Throws<ArgumentException>("rootHash", () => Checkpoint.Create(Origin, 0, Root));
        Assert.Throws<ArgumentException>("extensions", () => Checkpoint.Create(Origin, 1, Root, [""]));
        Assert.Throws<ArgumentException>("extensions", () => Checkpoint.Create(Origin, 1, Root, ["a\nb"]));
        Assert.Throws<ArgumentNullException>("extensions", () => Checkpoint.Create(Origin, 1, Root, [null!]));
    }

    [Fact]
    public void SignRequiresTheLogKeyToBeNamedAfterTheOrigin()
    {
        var checkpoint = Checkpoint.Create(Origin, 1, Root);

        Assert.Throws<ArgumentException>("signer", () => checkpoint.Sign(new Ed25519NoteSigner("other.example/log", LogKey)));
        Assert.Throws<ArgumentNullException>("signer", () => checkpoint.Sign(null!));
    }

    [Fact]
    public void EqualityAndDescriptionCoverEveryField()
    {
        var checkpoint = Checkpoint.Create(Origin, 3, Root);

        Assert.Equal(checkpoint, Checkpoint.Parse(checkpoint.ToText()));
        Assert.NotEqual(checkpoint, Checkpoint.Create(Origin, 4, Root));
        Assert.NotEqual(checkpoint, Checkpoint.Create(Origin, 3, MerkleTree.EmptyRoot));
        Assert.NotEqual(checkpoint, Checkpoint.Create("other.example/log", 3, Root));
        Assert.NotEqual(checkpoint, Checkpoint.Create(Origin, 3, Root, ["x"]));
        Assert.Equal($"Checkpoint(origin={Origin}, size=3, root={Root})", checkpoint.ToString());
    }
}
