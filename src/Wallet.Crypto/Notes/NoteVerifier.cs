namespace Wallet.Crypto.Notes;

/// <summary>
/// A trusted public key that verifies signature lines of one type, identified in notes by its name and key ID.
/// Its text form is the verifier key (vkey) <c>&lt;name&gt;+&lt;8 hex key ID&gt;+&lt;base64(type ‖ public key)&gt;</c>.
/// </summary>
/// <remarks>
/// C2SP signed-note, "Signatures": the key ID is the first four bytes of SHA-256(name ‖ 0x0A ‖ type ‖ public key).
/// The two kinds are <see cref="Ed25519NoteVerifier"/> (type 0x01) and <see cref="CosignatureV1Verifier"/> (type 0x04,
/// C2SP tlog-cosignature); the hierarchy is closed.
/// </remarks>
public abstract class NoteVerifier : IEquatable<NoteVerifier>
{
    private protected NoteVerifier(string name, Ed25519PublicKey publicKey, byte signatureType)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(publicKey);
        if (!NoteSyntax.IsValidKeyName(name))
        {
            throw new ArgumentException("A key name is non-empty and holds no space, '+' or control character.", nameof(name));
        }

        (Name, PublicKey, SignatureType) = (name, publicKey, signatureType);
        KeyId = NoteSyntax.KeyId(name, signatureType, publicKey.AsSpan());
    }

    /// <summary>The key name that signature lines carry.</summary>
    public string Name { get; }

    /// <summary>The 32-bit key ID that signature lines carry.</summary>
    public uint KeyId { get; }

    /// <summary>The Ed25519 public key.</summary>
    public Ed25519PublicKey PublicKey { get; }

    /// <summary>The signature type byte: 0x01 for note signatures, 0x04 for timestamped cosignatures.</summary>
    public byte SignatureType { get; }

    /// <summary>The verifier key in its text form, <c>&lt;name&gt;+&lt;key ID&gt;+&lt;base64(type ‖ public key)&gt;</c>.</summary>
    public string VerifierKey
    {
        get
        {
            var material = new byte[1 + Ed25519PublicKey.Length];
            material[0] = SignatureType;
            PublicKey.AsSpan().CopyTo(material.AsSpan(1));
            return $"{Name}+{KeyId:x8}+{Convert.ToBase64String(material)}";
        }
    }

    /// <summary>Parses a verifier key of type 0x01 (an <see cref="Ed25519NoteVerifier"/>) or 0x04 (a <see cref="CosignatureV1Verifier"/>).</summary>
    /// <param name="verifierKey">The vkey; the key ID is 8 lower-case hex digits.</param>
    /// <returns>The verifier.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="verifierKey"/> is <see langword="null"/>.</exception>
    /// <exception cref="NoteFormatException">The text is not a vkey, its type is not supported, its key is not a valid Ed25519 public key, or its key ID does not match its name and key.</exception>
    public static NoteVerifier Parse(string verifierKey)
    {
        ArgumentNullException.ThrowIfNull(verifierKey);

        // The name and key ID hold no '+'; the base64 may.
        string[] parts = verifierKey.Split('+', 3);
        if (parts.Length != 3 || !NoteSyntax.IsValidKeyName(parts[0]))
        {
            throw new NoteFormatException("A verifier key is '<name>+<key ID>+<base64 key>' with a valid key name.");
        }

        if (parts[1].Length != 8 || !parts[1].All(char.IsAsciiHexDigitLower) ||
            !uint.TryParse(parts[1], System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out uint keyId))
        {
            throw new NoteFormatException("A verifier key's ID is 8 lower-case hexadecimal digits.");
        }

        if (!NoteSyntax.TryDecodeBase64(parts[2], out byte[]? material) || material.Length != 1 + Ed25519PublicKey.Length)
        {
            throw new NoteFormatException("A verifier key's material is the base64 of a type byte and a 32-byte Ed25519 key.");
        }

        if (!Ed25519PublicKey.TryImport(material.AsSpan(1), out Ed25519PublicKey? publicKey))
        {
            throw new NoteFormatException("A verifier key's public key is not a valid Ed25519 key.");
        }

        NoteVerifier verifier = material[0] switch
        {
            Ed25519NoteVerifier.Type => new Ed25519NoteVerifier(parts[0], publicKey),
            CosignatureV1Verifier.Type => new CosignatureV1Verifier(parts[0], publicKey),
            _ => throw new NoteFormatException($"Verifier keys of type 0x{material[0]:x2} are not supported."),
        };

        if (verifier.KeyId != keyId)
        {
            throw new NoteFormatException("A verifier key's ID does not match its name and public key.");
        }

        return verifier;
    }

    /// <inheritdoc />
    public bool Equals(NoteVerifier? other) =>
        other is not null && other.SignatureType == SignatureType && other.PublicKey.Equals(PublicKey) &&
        string.Equals(other.Name, Name, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NoteVerifier);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, KeyId);

    /// <summary>Returns the verifier key, as <see cref="VerifierKey"/> does.</summary>
    /// <returns>The vkey.</returns>
    public override string ToString() => VerifierKey;

    /// <summary>Whether <paramref name="signature"/> (the bytes after the key ID) signs <paramref name="text"/> (the note text in UTF-8).</summary>
    internal abstract bool Verify(ReadOnlySpan<byte> text, ReadOnlySpan<byte> signature);
}
