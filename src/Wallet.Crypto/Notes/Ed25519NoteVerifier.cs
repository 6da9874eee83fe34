namespace Wallet.Crypto.Notes;

/// <summary>Verifies Ed25519 note signatures (signature type 0x01): RFC 8032 signatures over the note text itself.</summary>
/// <remarks>C2SP signed-note, "Ed25519 signatures". A checkpoint's log key is one of these.</remarks>
public sealed class Ed25519NoteVerifier : NoteVerifier
{
    /// <summary>The signature type byte of Ed25519 note signatures.</summary>
    internal const byte Type = 0x01;

    /// <summary>Creates the verifier for a key name and public key.</summary>
    /// <param name="name">The key name: non-empty, without Unicode spaces, '+' or control characters.</param>
    /// <param name="publicKey">The Ed25519 public key.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="publicKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid key name.</exception>
    public Ed25519NoteVerifier(string name, Ed25519PublicKey publicKey)
        : base(name, publicKey, Type)
    {
    }

    internal override bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature) =>
        PublicKey.VerifyUnframed(text, signature);
}
