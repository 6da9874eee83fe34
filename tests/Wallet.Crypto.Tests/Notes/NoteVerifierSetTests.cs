using System.Text;
using Wallet.Crypto.Notes;
using static Wallet.Crypto.Tests.Notes.NoteTestKeys;

namespace Wallet.Crypto.Tests.Notes;

public sealed class NoteVerifierSetTests
{
    private const string Text = "some text\n";
    private static readonly Ed25519NoteSigner Other = new("other.example/k", OtherKey);

    [Fact]
    public void SignatureByAnUntrustedKeyIsIgnored()
    {
        SignedNote note = SignedNote.Create(Text, [Other.Sign(Text), LogSigner.Sign(Text)]);

        NoteVerificationResult result = new NoteVerifierSet(LogSigner.Verifier).Verify(note);

        Assert.Equal(NoteVerificationStatus.Verified, result.Status);
        Assert.Equal<NoteVerifier>([LogSigner.Verifier], result.VerifiedBy);
        Assert.Equal<NoteSignature>([note.Signatures[1]], result.VerifiedSignatures);
    }

    [Fact]
    public void NoteSignedOnlyByUntrustedKeysIsRefused()
    {
        SignedNote note = SignedNote.Create(Text, [Other.Sign(Text)]);

        NoteVerificationResult result = new NoteVerifierSet(LogSigner.Verifier).Verify(note);

        Assert.Equal(NoteVerificationStatus.NoTrustedSignature, result.Status);
        Assert.False(result.IsVerified);
        Assert.Empty(result.VerifiedBy);
        Assert.Empty(result.VerifiedSignatures);
    }

    [Fact]
    public void TamperedTextIsRefused()
    {
        string tampered = SignedNote.Create(Text, [LogSigner.Sign(Text)]).Format().Replace("some", "same", StringComparison.Ordinal);

        NoteVerificationResult result = new NoteVerifierSet(LogSigner.Verifier).Verify(SignedNote.Parse(tampered));

        Assert.Equal(NoteVerificationStatus.InvalidSignature, result.Status);
    }

    [Fact]
    public void TamperedGoExampleIsRefused()
    {
        SignedNote note = SignedNote.Parse(PeterNote.Replace("cryptography", "cryptographY", StringComparison.Ordinal));

        Assert.Equal(NoteVerificationStatus.InvalidSignature, new NoteVerifierSet(NoteVerifier.Parse(PeterVerifierKey)).Verify(note).Status);
    }

    [Fact]
    public void FailedSignatureOfATrustedKeyRefusesTheNoteEvenWhenAnotherVerifies()
    {
        NoteSignature good = LogSigner.Sign(Text);
        var bad = new NoteSignature(Other.Name, Other.KeyId, Other.Sign("another text\n").Signature.Span);
        SignedNote note = SignedNote.Create(Text, [good, bad]);

        NoteVerificationResult result = new NoteVerifierSet(LogSigner.Verifier, Other.Verifier).Verify(note);

        Assert.Equal(NoteVerificationStatus.InvalidSignature, result.Status);
        Assert.Empty(result.VerifiedBy);
    }

    [Fact]
    public void TruncatedSignatureOfATrustedKeyIsRefused()
    {
        NoteSignature good = LogSigner.Sign(Text);
        var truncated = new NoteSignature(good.Name, good.KeyId, good.Signature.Span[..63]);

        NoteVerificationResult result = new NoteVerifierSet(LogSigner.Verifier).Verify(SignedNote.Create(Text, [truncated]));

        Assert.Equal(NoteVerificationStatus.InvalidSignature, result.Status);
    }

    [Fact]
    public void LineSharingOnlyTheNameOrOnlyTheKeyIdOfATrustedKeyIsIgnored()
    {
        NoteSignature good = LogSigner.Sign(Text);
        var sameNameOtherId = new NoteSignature(LogSigner.Name, good.KeyId ^ 1, good.Signature.Span);
        var sameIdOtherName = new NoteSignature("impostor.example/log", good.KeyId, good.Signature.Span);
        SignedNote note = SignedNote.Create(Text, [sameNameOtherId, sameIdOtherName]);

        NoteVerificationResult result = new NoteVerifierSet(LogSigner.Verifier).Verify(note);

        Assert.Equal(NoteVerificationStatus.NoTrustedSignature, result.Status);
    }

    [Fact]
    public void RepeatedSignatureReportsItsKeyOnce()
    {
        NoteSignature good = LogSigner.Sign(Text);
        NoteVerificationResult result = new NoteVerifierSet(LogSigner.Verifier).Verify(SignedNote.Create(Text, [good, good]));

        Assert.True(result.IsVerified);
        Assert.Single(result.VerifiedBy);
        Assert.Equal(2, result.VerifiedSignatures.Length);
    }

    [Fact]
    public void EveryTrustedKeyThatSignedIsReported()
    {
        SignedNote note = SignedNote.Create(Text, [LogSigner.Sign(Text), Other.Sign(Text)]);

        NoteVerificationResult result = new NoteVerifierSet(Other.Verifier, LogSigner.Verifier).Verify(note);

        Assert.Equal<NoteVerifier>([LogSigner.Verifier, Other.Verifier], result.VerifiedBy);
        Assert.Equal("Verified by benefits.example.org/walletcore, other.example/k", result.ToString());
    }

    [Fact]
    public void SignatureOverTheTextBytesVerifiesRegardlessOfNormalisation()
    {
        // "é" precomposed and decomposed are different texts: a signature over one does not verify the other.
        string composed = "caf\u00e9\n";
        string decomposed = "cafe\u0301\n";
        SignedNote forged = SignedNote.Create(decomposed, [LogSigner.Sign(composed)]);

        Assert.NotEqual(Encoding.UTF8.GetBytes(composed), Encoding.UTF8.GetBytes(decomposed));
        Assert.Equal(NoteVerificationStatus.InvalidSignature, new NoteVerifierSet(LogSigner.Verifier).Verify(forged).Status);
    }

    [Fact]
    public void TwoTrustedKeysWithTheSameNameAndKeyIdAreRefused()
    {
        Assert.Throws<ArgumentException>("verifiers", () => new NoteVerifierSet(LogSigner.Verifier, new Ed25519NoteVerifier(Origin, LogKey.PublicKey)));
        Assert.Throws<ArgumentNullException>("verifiers", () => new NoteVerifierSet(LogSigner.Verifier, null!));
        Assert.Throws<ArgumentNullException>("note", () => new NoteVerifierSet(LogSigner.Verifier).Verify(null!));
    }
}
