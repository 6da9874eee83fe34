using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;

namespace Wallet.Crypto.Tests.Notes;

/// <summary>Published example keys and notes, and fixed keys for the scheme's log and witnesses.</summary>
internal static class NoteTestKeys
{
    // The example of the Go reference implementation of signed notes (golang.org/x/mod/sumdb/note, package
    // documentation): the C2SP spec gives example notes but no keys, so this is the published key pair to reproduce.
    public const string PeterVerifierKey = "PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW";
    public const string PeterPrivateKey = "PRIVATE+KEY+PeterNeumann+c74f20a3+AYEKFALVFGyNhPJEMzD1QIDr+Y7hfZx09iUvxdXHKDFz";
    public const string PeterText = "If you think cryptography is the answer to your problem,\nthen you don't know what your problem is.\n";
    public const string PeterSignatureLine = "— PeterNeumann x08go/ZJkuBS9UG/SffcvIAQxVBtiFupLLr8pAcElZInNIuGUgYN1FFYC2pZSNXgKvqfqdngotpRZb6KE6RyyBwJnAM=";
    public const string PeterNote = PeterText + "\n" + PeterSignatureLine + "\n";

    // C2SP tlog-checkpoint's example checkpoint and tlog-cosignature's cosigned copy of it (no keys are published).
    public const string SofaText = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n";
    public const string SofaLogLine = "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=";
    public const string SofaWitnessLine = "— witness.example.com/w1 jWbPPwAAAABkGFDLEZMHwSRaJNiIDoe9DYn/zXcrtPHeolMI5OWXEhZCB9dlrDJsX3b2oyin1nPZqhf5nNo0xUe+mbIUBkBIfZ+qnA==";

    // C2SP signed-note's example note.
    public const string QuasimodoText = "Ognuno sta solo sul cuor della terra\ntrafitto da un raggio di sole:\n\ned è subito sera.\n";
    public const string QuasimodoLine = "— quasimodo.example/salvatore NnugSzTjtVAewIS+Z/iJhUPeFDkO/5QQ2i5ddnGITLlC+EhfLW9oJKONrMouFSQU0xMcXxj99ihAQwaqP3ZekRwNtIc=";

    // A tree head of the Go checksum database, a production log whose checkpoints are in this format, with its
    // published verifier key.
    public const string SumDbVerifierKey = "sum.golang.org+033de0ae+Ac4zctda0e5eza+HJyk9SxEdh+s3Ux18htTTAD8OuAn8";
    public const string SumDbNote =
        "go.sum database tree\n6476701\nmb8QLQIs0Z0yP5Cstq6guj87oXWeC9gEM8oVikmm9Wk=\n\n" +
        "— sum.golang.org Az3grsLX85Gz+s1SiTbgkuqxgItqFq7gsMUEyVnrsa9LM7Us9S+1xbFIGu95949rj4nPRYfvimWEPWL+o3GeoWwOoAw=\n";

    public const string Origin = "benefits.example.org/walletcore";

    public static readonly Ed25519SigningKey LogKey = Ed25519SigningKey.FromSeed(Seed(0x10));
    public static readonly Ed25519SigningKey WitnessKey = Ed25519SigningKey.FromSeed(Seed(0x40));
    public static readonly Ed25519SigningKey OtherKey = Ed25519SigningKey.FromSeed(Seed(0x70));

    public static readonly Ed25519NoteSigner LogSigner = new(Origin, LogKey);

    public static readonly MerkleHash Root = new(Enumerable.Range(0, 32).Select(i => (byte)(0xA0 ^ i)).ToArray());

    /// <summary>The Go example's signing key, imported from its private-key text (type byte 0x01, then the 32-byte seed).</summary>
    public static Ed25519SigningKey PeterKey() =>
        Ed25519SigningKey.FromSeed(Convert.FromBase64String(PeterPrivateKey.Split('+', 5)[4]).AsSpan(1));

    public static byte[] Seed(byte first) => Enumerable.Range(first, 32).Select(i => (byte)i).ToArray();
}
