using System.Security.Cryptography;
using System.Text;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Tests.Merkle;
using static Wallet.Crypto.Tests.Notes.NoteTestKeys;
using Rfc8032 = Org.BouncyCastle.Math.EC.Rfc8032.Ed25519;

namespace Wallet.Crypto.Tests.Notes;

public sealed class CosignatureTests
{
    private const string WitnessName = "witness.example.org/w1";
    private static readonly DateTimeOffset Now = new(2026, 12, 6, 18, 30, 15, 250, TimeSpan.Zero);
    private static readonly CosignatureV1Signer Witness = new(WitnessName, WitnessKey, new FixedTimeProvider(Now));
    private static readonly Checkpoint Head = Checkpoint.Create(Origin, 42, Root);

    [Fact]
    public void SpecExampleCosignatureCarriesItsTimestamp()
    {
        SignedNote note = SignedNote.Parse(SofaText + "\n" + SofaLogLine + "\n" + SofaWitnessLine + "\n");

        Assert.True(CosignatureV1Verifier.TryGetTimestamp(note.Signatures[1], out ulong seconds));
        Assert.Equal(1679315147UL, seconds);
        Assert.False(CosignatureV1Verifier.TryGetTimestamp(note.Signatures[0], out _));
    }

    [Fact]
    public void KnownAnswerCosignatureMatchesTheProtocolDocument()
    {
        // docs/PROTOCOL.md 5.12; computed independently with pyca/cryptography Ed25519.
        var witness = new CosignatureV1Signer(WitnessName, WitnessKey, new FixedTimeProvider(DateTimeOffset.FromUnixTimeSeconds(1796495415)));
        var checkpoint = Checkpoint.Parse("benefits.example.org/walletcore\n7\nNWAZGAMChESyMgGKwEf9tWHAnCOnpodsheCLXk1I6fM=\n");

        Assert.Equal("witness.example.org/w1+480e2ca5+BCVDuS/xCVURR2rcg2nbbdyTNmWhGXjdoUBO4QZsqVWd", witness.Verifier.VerifierKey);
        Assert.Equal(
            "— witness.example.org/w1 SA4spQAAAABrFFg3BAKTa+DQiO/NdTrT54ESMvv+/kHcRb95OgG0sU0XeGYFZBBeS0VP1MZ30TbP1JLaLRQM9iQ87J2QGJzaGyyZBw==",
            witness.Sign(checkpoint).ToString());
    }

    [Fact]
    public void ProtocolDocumentExampleVerifiesFromItsVerifierKeys()
    {
        const string Note =
            "benefits.example.org/walletcore\n7\nNWAZGAMChESyMgGKwEf9tWHAnCOnpodsheCLXk1I6fM=\n\n" +
            "— benefits.example.org/walletcore 0lb93lovhcuTRlkwwVR4TjM7gekSlB+fDeljmXqwV97JPo+6ASVKl1ETdc/KeJgGMEASbIhjyiiC7RyjseHmthwNYQU=\n" +
            "— witness.example.org/w1 SA4spQAAAABrFFg3BAKTa+DQiO/NdTrT54ESMvv+/kHcRb95OgG0sU0XeGYFZBBeS0VP1MZ30TbP1JLaLRQM9iQ87J2QGJzaGyyZBw==\n";
        NoteVerifier log = NoteVerifier.Parse("benefits.example.org/walletcore+d256fdde+AXd26HC5M1TyoLJMI/KjbMToDiIyGMG5eSb90Bg5aiub");
        NoteVerifier witness = NoteVerifier.Parse("witness.example.org/w1+480e2ca5+BCVDuS/xCVURR2rcg2nbbdyTNmWhGXjdoUBO4QZsqVWd");
        SignedNote note = SignedNote.Parse(Encoding.UTF8.GetBytes(Note));

        NoteVerificationResult result = new NoteVerifierSet(log, witness).Verify(note);

        Assert.Equal<NoteVerifier>([log, witness], result.VerifiedBy);
        Assert.True(CosignatureV1Verifier.TryGetTimestamp(note.Signatures[1], out ulong seconds));
        Assert.Equal(1796495415UL, seconds);
        Assert.True(Checkpoint.TryOpen(note, new NoteVerifierSet(log), out Checkpoint? checkpoint));
        Assert.Equal(7UL, checkpoint.TreeSize);
    }

    [Fact]
    public void CosignatureSignsTheHeaderTimeLineAndCheckpointText()
    {
        NoteSignature cosignature = Witness.Sign(Head);

        byte[] bytes = cosignature.Signature.ToArray();
        ulong seconds = (ulong)Now.ToUnixTimeSeconds();
        byte[] message = Encoding.UTF8.GetBytes($"cosignature/v1\ntime {seconds}\n{Head.ToText()}");
        Assert.Equal(72, bytes.Length);
        Assert.Equal(seconds, System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(bytes));
        Assert.True(Rfc8032.Verify(bytes, 8, WitnessKey.PublicKey.Export(), 0, message, 0, message.Length));
    }

    [Fact]
    public void CosignerKeyIdUsesTypeByte4()
    {
        byte[] input = [.. Encoding.UTF8.GetBytes(WitnessName), 0x0A, 0x04, .. WitnessKey.PublicKey.AsSpan()];
        byte[] hash = SHA256.HashData(input);

        Assert.Equal((uint)(hash[0] << 24 | hash[1] << 16 | hash[2] << 8 | hash[3]), Witness.KeyId);
        Assert.Equal(Witness.KeyId, Witness.Sign(Head).KeyId);
        Assert.Equal((byte)0x04, Witness.Verifier.SignatureType);
    }

    [Fact]
    public void CosignedCheckpointVerifiesForTheLogAndTheWitness()
    {
        SignedNote note = SignedNote.Parse(Head.Sign(LogSigner).AddSignature(Witness.Sign(Head)).Encode());

        NoteVerificationResult result = new NoteVerifierSet(LogSigner.Verifier, Witness.Verifier).Verify(note);

        Assert.Equal<NoteVerifier>([LogSigner.Verifier, Witness.Verifier], result.VerifiedBy);
        Assert.True(CosignatureV1Verifier.TryGetTimestamp(result.VerifiedSignatures[1], out ulong seconds));
        Assert.Equal((ulong)Now.ToUnixTimeSeconds(), seconds);
        Assert.True(Checkpoint.TryOpen(note, new NoteVerifierSet(LogSigner.Verifier), out Checkpoint? opened));
        Assert.Equal(Head, opened);
    }

    [Fact]
    public void CosignatureWithAnAlteredTimestampIsRefused()
    {
        byte[] bytes = Witness.Sign(Head).Signature.ToArray();
        bytes[7] ^= 1;
        SignedNote note = SignedNote.Create(Head.ToText(), [new NoteSignature(WitnessName, Witness.KeyId, bytes)]);

        Assert.Equal(NoteVerificationStatus.InvalidSignature, new NoteVerifierSet(Witness.Verifier).Verify(note).Status);
    }

    [Fact]
    public void CosignatureOverAnotherCheckpointIsRefused()
    {
        SignedNote note = SignedNote.Create(Checkpoint.Create(Origin, 43, Root).ToText(), [Witness.Sign(Head)]);

        Assert.Equal(NoteVerificationStatus.InvalidSignature, new NoteVerifierSet(Witness.Verifier).Verify(note).Status);
    }

    [Fact]
    public void TimestampAboveTwoToTheSixtyThirdIsRefusedEvenWhenSigned()
    {
        ulong seconds = 1UL << 63;
        byte[] message = Encoding.UTF8.GetBytes($"cosignature/v1\ntime {seconds}\n{Head.ToText()}");
        byte[] bytes = new byte[72];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes, seconds);
        WitnessKey.SignUnframed(message).CopyTo(bytes, 8);
        var line = new NoteSignature(WitnessName, Witness.KeyId, bytes);

        Assert.False(CosignatureV1Verifier.TryGetTimestamp(line, out _));
        Assert.Equal(NoteVerificationStatus.InvalidSignature, new NoteVerifierSet(Witness.Verifier).Verify(SignedNote.Create(Head.ToText(), [line])).Status);
    }

    [Fact]
    public void LogSignatureDoesNotCountAsACosignatureByTheSameKey()
    {
        // The same key under the same name has different key IDs for the two types, so the lines never match.
        var sameKeyWitness = new CosignatureV1Verifier(Origin, LogKey.PublicKey);
        SignedNote note = Head.Sign(LogSigner);

        Assert.Equal(NoteVerificationStatus.NoTrustedSignature, new NoteVerifierSet(sameKeyWitness).Verify(note).Status);
    }

    [Fact]
    public void CosignerRefusesAClockBeforeTheEpochAndNullArguments()
    {
        var early = new CosignatureV1Signer(WitnessName, WitnessKey, new FixedTimeProvider(DateTimeOffset.UnixEpoch.AddSeconds(-1)));

        Assert.Throws<ArgumentException>(() => early.Sign(Head));
        Assert.Throws<ArgumentNullException>("checkpoint", () => Witness.Sign(null!));
        Assert.Throws<ArgumentNullException>("timeProvider", () => new CosignatureV1Signer(WitnessName, WitnessKey, null!));
        Assert.Throws<ArgumentException>("name", () => new CosignatureV1Signer("a b", WitnessKey, TimeProvider.System));
    }
}
