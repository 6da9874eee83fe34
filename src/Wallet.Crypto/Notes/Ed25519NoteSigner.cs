using System.Text;

namespace Wallet.Crypto.Notes;

/// <summary>Signs note texts with an Ed25519 key under a key name (signature type 0x01).</summary>
/// <remarks>
/// C2SP signed-note, "Ed25519 signatures". The signer does not own <see cref="Ed25519SigningKey"/>: the caller keeps
/// and disposes it. Give the key to notes of one kind only (WalletCore's log key signs checkpoints), so that no
/// other text it signs can be read as one of them.
/// </remarks>
public sealed class Ed25519NoteSigner
{
    private readonly Ed25519SigningKey _key;

    /// <summary>Creates a signer for a key name and signing key.</summary>
    /// <param name="name">The key name: non-empty, without Unicode spaces, '+' or control characters.</param>
    /// <param name="key">The signing key; not disposed by the signer.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> or <paramref name="key"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid key name.</exception>
    public Ed25519NoteSigner(string name, Ed25519SigningKey key)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(key);
        Verifier = new Ed25519NoteVerifier(name, key.PublicKey);
        _key = key;
    }

    /// <summary>The key name.</summary>
    public string Name => Verifier.Name;

    /// <summary>The key ID.</summary>
    public uint KeyId => Verifier.KeyId;

    /// <summary>The matching verifier, whose <see cref="NoteVerifier.VerifierKey"/> is published for clients.</summary>
    public Ed25519NoteVerifier Verifier { get; }

    /// <summary>Signs a note text.</summary>
    /// <param name="text">The text: non-empty, ending in a newline, with no control character other than newline.</param>
    /// <returns>The signature line.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="text"/> is not a note text.</exception>
    /// <exception cref="ObjectDisposedException">The signing key has been disposed.</exception>
    public NoteSignature Sign(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NoteSyntax.IsValidText(text))
        {
            throw new ArgumentException("A note text is non-empty, ends in a newline and holds no control character other than newline.", nameof(text));
        }

        return new NoteSignature(Name, KeyId, _key.SignUnframed(Encoding.UTF8.GetBytes(text)));
    }

    /// <summary>Describes the signer by its verifier key only.</summary>
    /// <returns><c>Ed25519NoteSigner(&lt;vkey&gt;)</c>.</returns>
    public override string ToString() => $"Ed25519NoteSigner({Verifier.VerifierKey})";
}
