using System.Text;
using Wallet.Crypto.Notes;
using static Wallet.Crypto.Tests.Notes.NoteTestKeys;

namespace Wallet.Crypto.Tests.Notes;

public sealed class SignedNoteTests
{
    [Fact]
    public void GoReferenceExampleIsReproducedByteForByte()
    {
        using var key = PeterKey();
        var signer = new Ed25519NoteSigner("PeterNeumann", key);

        SignedNote note = SignedNote.Create(PeterText, [signer.Sign(PeterText)]);

        Assert.Equal(PeterVerifierKey, signer.Verifier.VerifierKey);
        Assert.Equal(0xc74f20a3u, signer.KeyId);
        Assert.Equal(PeterNote, note.Format());
        Assert.Equal(Encoding.UTF8.GetBytes(PeterNote), note.Encode());
    }

    [Fact]
    public void GoReferenceExampleParsesAndVerifiesUnderItsPublishedKey()
    {
        SignedNote note = SignedNote.Parse(Encoding.UTF8.GetBytes(PeterNote));
        NoteVerificationResult result = new NoteVerifierSet(NoteVerifier.Parse(PeterVerifierKey)).Verify(note);

        Assert.Equal(PeterText, note.Text);
        NoteSignature signature = Assert.Single(note.Signatures);
        Assert.Equal(("PeterNeumann", 0xc74f20a3u, 64), (signature.Name, signature.KeyId, signature.Signature.Length));
        Assert.Equal(NoteVerificationStatus.Verified, result.Status);
        Assert.Equal(PeterVerifierKey, Assert.Single(result.VerifiedBy).VerifierKey);
        Assert.Equal(signature, Assert.Single(result.VerifiedSignatures));
    }

    [Fact]
    public void SpecExampleNoteParsesWithItsBlankLineKeptInTheText()
    {
        string encoded = QuasimodoText + "\n" + QuasimodoLine + "\n";

        SignedNote note = SignedNote.Parse(Encoding.UTF8.GetBytes(encoded));

        Assert.Equal(QuasimodoText, note.Text);
        NoteSignature signature = Assert.Single(note.Signatures);
        Assert.Equal(("quasimodo.example/salvatore", 0x367ba04bu, 64), (signature.Name, signature.KeyId, signature.Signature.Length));
        Assert.Equal(encoded, note.Format());
    }

    [Fact]
    public void SpecExampleCosignedCheckpointParsesBothSignatures()
    {
        string encoded = SofaText + "\n" + SofaLogLine + "\n" + SofaWitnessLine + "\n";

        SignedNote note = SignedNote.Parse(encoded);

        Assert.Equal(SofaText, note.Text);
        Assert.Equal(
            [("example.com/behind-the-sofa", 0x033de0aeu, 64), ("witness.example.com/w1", 0x8d66cf3fu, 72)],
            note.Signatures.Select(s => (s.Name, s.KeyId, s.Signature.Length)));
        Assert.Equal(encoded, note.Format());
    }

    [Fact]
    public void SignaturesByUnknownKeysDoNotVerifyTheSpecExample()
    {
        SignedNote note = SignedNote.Parse(SofaText + "\n" + SofaLogLine + "\n");

        NoteVerificationResult result = new NoteVerifierSet(LogSigner.Verifier).Verify(note);

        Assert.Equal(NoteVerificationStatus.NoTrustedSignature, result.Status);
        Assert.Empty(result.VerifiedBy);
    }

    [Theory]
    [InlineData("a\n")]
    [InlineData("\n")]
    [InlineData("two\n\nparagraphs\n")]
    [InlineData("ends in a blank line\n\n")]
    [InlineData("unicode: Grüße, 日本語, 🙂 and DEL \u007f\n")]
    public void NotesRoundTripThroughTextAndBytes(string text)
    {
        SignedNote note = SignedNote.Create(text, [LogSigner.Sign(text), new Ed25519NoteSigner("other.example/k", OtherKey).Sign(text)]);

        SignedNote fromBytes = SignedNote.Parse(note.Encode());
        SignedNote fromString = SignedNote.Parse(note.Format());

        Assert.Equal(note, fromBytes);
        Assert.Equal(note, fromString);
        Assert.Equal(text, fromBytes.Text);
        Assert.True(new NoteVerifierSet(LogSigner.Verifier).Verify(fromBytes).IsVerified);
    }

    [Fact]
    public void AddSignatureKeepsTheTextAndAppendsTheLine()
    {
        SignedNote note = SignedNote.Create("t\n", [LogSigner.Sign("t\n")]);
        NoteSignature extra = new Ed25519NoteSigner("other.example/k", OtherKey).Sign("t\n");

        SignedNote both = note.AddSignature(extra);

        Assert.Equal("t\n", both.Text);
        Assert.Equal<NoteSignature>([note.Signatures[0], extra], both.Signatures);
        Assert.Single(note.Signatures);
    }

    [Fact]
    public void SixteenSignaturesAreAcceptedAsTheSpecRequires()
    {
        NoteSignature line = LogSigner.Sign("t\n");
        string encoded = "t\n\n" + string.Concat(Enumerable.Repeat(line + "\n", 16));

        Assert.Equal(16, SignedNote.Parse(encoded).Signatures.Length);
    }

    [Fact]
    public void CreateRefusesMalformedTextsAndCounts()
    {
        NoteSignature line = LogSigner.Sign("t\n");

        Assert.Throws<ArgumentException>("text", () => SignedNote.Create("no newline", [line]));
        Assert.Throws<ArgumentException>("text", () => SignedNote.Create("", [line]));
        Assert.Throws<ArgumentException>("text", () => SignedNote.Create("tab\there\n", [line]));
        Assert.Throws<ArgumentException>("text", () => SignedNote.Create("lone \ud800 surrogate\n", [line]));
        Assert.Throws<ArgumentException>("signatures", () => SignedNote.Create("t\n", []));
        Assert.Throws<ArgumentException>("signatures", () => SignedNote.Create("t\n", Enumerable.Repeat(line, SignedNote.MaxSignatures + 1)));
        Assert.Throws<ArgumentNullException>("signatures", () => SignedNote.Create("t\n", [line, null!]));
        Assert.Throws<ArgumentException>("text", () => LogSigner.Sign("no newline"));
    }

    [Fact]
    public void SignatureLineConstructorChecksTheNameAndBytes()
    {
        Assert.Throws<ArgumentException>("name", () => new NoteSignature("has space", 1, [1]));
        Assert.Throws<ArgumentException>("name", () => new NoteSignature("has+plus", 1, [1]));
        Assert.Throws<ArgumentException>("name", () => new NoteSignature("", 1, [1]));
        Assert.Throws<ArgumentException>("signature", () => new NoteSignature("ok", 1, []));
        Assert.Equal("— ok AAAAAQE=", new NoteSignature("ok", 1, [1]).ToString());
    }
}
