namespace Wallet.Crypto.Notes;

/// <summary>
/// One signature line of a signed note: the signing key's name and 32-bit key ID, and the signature bytes that
/// follow the key ID.
/// </summary>
/// <remarks>
/// C2SP signed-note, "Signatures": the line is <c>— &lt;name&gt; base64(key ID ‖ signature)</c>, the key ID in
/// big-endian order. The pair (name, key ID) names the key and its algorithm; a signature is not trusted until a
/// <see cref="NoteVerifierSet"/> has verified it.
/// </remarks>
public sealed class NoteSignature : IEquatable<NoteSignature>
{
    private readonly byte[] _signature;

    /// <summary>Creates a signature line from its parts.</summary>
    /// <param name="name">The key name: non-empty, without Unicode spaces, '+' or control characters.</param>
    /// <param name="keyId">The key ID.</param>
    /// <param name="signature">The signature bytes after the key ID; at least one byte.</param>
    /// <exception cref="ArgumentNullException"><paramref name="name"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is not a valid key name, or <paramref name="signature"/> is empty.</exception>
    public NoteSignature(string name, uint keyId, ReadOnlySpan<byte> signature)
    {
        ArgumentNullException.ThrowIfNull(name);
        if (!NoteSyntax.IsValidKeyName(name))
        {
            throw new ArgumentException("A key name is non-empty and holds no space, '+' or control character.", nameof(name));
        }

        if (signature.IsEmpty)
        {
            throw new ArgumentException("A note signature holds at least one byte after the key ID.", nameof(signature));
        }

        (Name, KeyId, _signature) = (name, keyId, signature.ToArray());
    }

    private NoteSignature(string name, uint keyId, byte[] signature) => (Name, KeyId, _signature) = (name, keyId, signature);

    /// <summary>The name of the key that made the signature.</summary>
    public string Name { get; }

    /// <summary>The 32-bit ID of the key that made the signature.</summary>
    public uint KeyId { get; }

    /// <summary>The signature bytes that follow the key ID (for Ed25519, the 64-byte signature).</summary>
    public ReadOnlyMemory<byte> Signature => _signature;

    /// <inheritdoc />
    public bool Equals(NoteSignature? other) =>
        other is not null && other.KeyId == KeyId && string.Equals(other.Name, Name, StringComparison.Ordinal) &&
        other._signature.AsSpan().SequenceEqual(_signature);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as NoteSignature);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Name, KeyId);

    /// <summary>Returns the signature line without its final newline.</summary>
    /// <returns><c>— &lt;name&gt; &lt;base64&gt;</c>.</returns>
    public override string ToString() => $"{SignedNote.SignaturePrefix}{Name} {EncodeBlob()}";

    /// <summary>Parses the part of a signature line after the em dash and space; <see langword="null"/> on any error.</summary>
    internal static NoteSignature? TryParseLine(ReadOnlySpan<char> line)
    {
        int space = line.IndexOf(' ');
        if (space < 0)
        {
            return null;
        }

        string name = line[..space].ToString();
        if (!NoteSyntax.IsValidKeyName(name) ||
            !NoteSyntax.TryDecodeBase64(line[(space + 1)..], out byte[]? blob) ||
            blob.Length <= sizeof(uint))
        {
            return null;
        }

        return new NoteSignature(name, BinaryPrimitives.ReadUInt32BigEndian(blob), blob[sizeof(uint)..]);
    }

    private string EncodeBlob()
    {
        var blob = new byte[sizeof(uint) + _signature.Length];
        BinaryPrimitives.WriteUInt32BigEndian(blob, KeyId);
        _signature.CopyTo(blob, sizeof(uint));
        return Convert.ToBase64String(blob);
    }
}
