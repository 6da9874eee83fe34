using System.Text;

namespace Wallet.Crypto.Signing;

/// <summary>
/// A domain-separation label and version under which a structure is signed. Every Ed25519 signature in
/// WalletCore covers <c>len(label) ‖ label ‖ version ‖ canonical bytes</c>, so a signature made for one kind of
/// structure (a receipt) can never verify as another (a tree head, a coin spend).
/// </summary>
/// <remarks>
/// The label is printable ASCII of 1 to 255 bytes; the version is a big-endian 16-bit integer. The one-byte
/// length prefix makes the prefix itself unambiguous: no label is a prefix of another's encoding.
/// </remarks>
public sealed class SignatureDomain : IEquatable<SignatureDomain>
{
    private readonly byte[] _prefix;

    /// <summary>Creates a domain from its label and version.</summary>
    /// <param name="label">Printable ASCII, 1 to 255 characters, for example <c>PB1/withdrawal-receipt</c>.</param>
    /// <param name="version">The structure's version.</param>
    /// <exception cref="ArgumentNullException"><paramref name="label"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="label"/> is empty, longer than 255 characters or not printable ASCII.</exception>
    public SignatureDomain(string label, ushort version)
    {
        ArgumentNullException.ThrowIfNull(label);
        if (label.Length is 0 or > 255)
        {
            throw new ArgumentException("A domain label has 1 to 255 characters.", nameof(label));
        }

        foreach (char c in label)
        {
            if (c is < (char)0x21 or > (char)0x7E)
            {
                throw new ArgumentException("A domain label is printable ASCII without spaces.", nameof(label));
            }
        }

        Label = label;
        Version = version;
        _prefix = new byte[1 + label.Length + 2];
        _prefix[0] = (byte)label.Length;
        Encoding.ASCII.GetBytes(label, _prefix.AsSpan(1));
        BinaryPrimitives.WriteUInt16BigEndian(_prefix.AsSpan(1 + label.Length), version);
    }

    /// <summary>The label, for example <c>PB1/withdrawal-receipt</c>.</summary>
    public string Label { get; }

    /// <summary>The version of the signed structure.</summary>
    public ushort Version { get; }

    /// <summary>The bytes that precede the structure's canonical encoding in the signed message.</summary>
    public ReadOnlySpan<byte> Prefix => _prefix;

    /// <summary>Returns the full signed message, <see cref="Prefix"/> followed by <paramref name="content"/>.</summary>
    /// <param name="content">The structure's canonical bytes.</param>
    /// <returns>A new array holding the message to sign or verify.</returns>
    public byte[] Frame(ReadOnlySpan<byte> content)
    {
        var message = new byte[_prefix.Length + content.Length];
        _prefix.CopyTo(message, 0);
        content.CopyTo(message.AsSpan(_prefix.Length));
        return message;
    }

    /// <inheritdoc />
    public bool Equals(SignatureDomain? other) =>
        other is not null && other.Version == Version && string.Equals(other.Label, Label, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SignatureDomain);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Label, Version);

    /// <summary>Returns <c>label/vN</c>.</summary>
    /// <returns>A readable name for the domain.</returns>
    public override string ToString() => $"{Label}/v{Version}";
}
