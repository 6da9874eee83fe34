using System.Globalization;
using System.Text;

namespace Wallet.Crypto.Notes;

/// <summary>
/// A transparency-log checkpoint: the log's origin, its tree size and the root hash at that size, as the text of a
/// signed note that existing transparency-log tooling and witnesses read.
/// </summary>
/// <remarks>
/// C2SP tlog-checkpoint v1.0.0. The text is the origin line, the tree size in ASCII decimal without leading zeros,
/// the base64 of the RFC 9162 (RFC 6962) root hash, and optional non-empty extension lines, each ending in a newline.
/// WalletCore's convention: the origin is a schema-less URL the scheme operator chooses (<c>host/path</c>, for
/// example <c>benefits.example.org/walletcore</c>) and it is also the key name of the log's Ed25519 signature, so
/// <see cref="Create"/> requires it to be a valid key name and <see cref="Sign"/> a signer of that name.
/// <see cref="Parse"/> accepts any non-empty origin, as the spec asks of clients.
/// </remarks>
public sealed class Checkpoint : IEquatable<Checkpoint>
{
    private Checkpoint(string origin, ulong treeSize, MerkleHash rootHash, ImmutableArray<string> extensions) =>
        (Origin, TreeSize, RootHash, Extensions) = (origin, treeSize, rootHash, extensions);

    /// <summary>The log's identity, the first line of the text.</summary>
    public string Origin { get; }

    /// <summary>The number of leaves in the tree.</summary>
    public ulong TreeSize { get; }

    /// <summary>The Merkle Tree Hash of the first <see cref="TreeSize"/> leaves.</summary>
    public MerkleHash RootHash { get; }

    /// <summary>The extension lines, opaque and usually none; not covered by a witness's statement.</summary>
    public ImmutableArray<string> Extensions { get; }

    /// <summary>Creates a checkpoint for a tree head.</summary>
    /// <param name="origin">The log's origin, a valid key name such as <c>benefits.example.org/walletcore</c>.</param>
    /// <param name="treeSize">The number of leaves.</param>
    /// <param name="rootHash">The root of those leaves.</param>
    /// <param name="extensions">Extension lines, each non-empty with no control character; none by default.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="origin"/> is <see langword="null"/>, or an extension line is.</exception>
    /// <exception cref="ArgumentException">The origin is not a valid key name, an extension line is malformed, or <paramref name="treeSize"/> is 0 but <paramref name="rootHash"/> is not <see cref="MerkleTree.EmptyRoot"/>.</exception>
    public static Checkpoint Create(string origin, ulong treeSize, MerkleHash rootHash, IEnumerable<string>? extensions = null)
    {
        ArgumentNullException.ThrowIfNull(origin);
        if (!NoteSyntax.IsValidKeyName(origin))
        {
            throw new ArgumentException("A WalletCore origin is also its key name: non-empty, with no space, '+' or control character.", nameof(origin));
        }

        if (treeSize == 0 && rootHash != MerkleTree.EmptyRoot)
        {
            throw new ArgumentException("The root of an empty tree is the hash of the empty string.", nameof(rootHash));
        }

        ImmutableArray<string> lines = extensions is null ? [] : [.. extensions];
        foreach (string line in lines)
        {
            ArgumentNullException.ThrowIfNull(line, nameof(extensions));
            if (line.Length == 0 || !NoteSyntax.HasNoControlCharacters(line) || line.Contains('\n') || !NoteSyntax.IsWellFormed(line))
            {
                throw new ArgumentException("An extension line is non-empty, one line, and holds no control character.", nameof(extensions));
            }
        }

        return new Checkpoint(origin, treeSize, rootHash, lines);
    }

    /// <summary>Parses a checkpoint from a note text. Use it only on a text whose signature has been verified, or through <see cref="TryOpen"/>.</summary>
    /// <param name="text">The note text, ending in a newline.</param>
    /// <returns>The checkpoint.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is <see langword="null"/>.</exception>
    /// <exception cref="NoteFormatException">The text is not a checkpoint: fewer than three lines, an empty line, an empty origin, a tree size that is not canonical decimal or out of range, a root that is not the base64 of 32 bytes, or a non-empty root for size 0.</exception>
    public static Checkpoint Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!NoteSyntax.IsValidText(text))
        {
            throw new NoteFormatException("A checkpoint is a note text: ending in a newline, with no control character other than newline.");
        }

        string[] lines = text[..^1].Split('\n');
        if (lines.Length < 3)
        {
            throw new NoteFormatException("A checkpoint has an origin, a tree size and a root hash line.");
        }

        if (lines[0].Length == 0)
        {
            throw new NoteFormatException("A checkpoint's origin is empty.");
        }

        string size = lines[1];
        if (size.Length == 0 || !size.All(char.IsAsciiDigit) || (size.Length > 1 && size[0] == '0'))
        {
            throw new NoteFormatException("A checkpoint's tree size is decimal digits with no leading zero.");
        }

        if (!ulong.TryParse(size, NumberStyles.None, CultureInfo.InvariantCulture, out ulong treeSize))
        {
            throw new NoteFormatException("A checkpoint's tree size is out of range.");
        }

        if (!NoteSyntax.TryDecodeBase64(lines[2], out byte[]? root) || root.Length != MerkleHash.Length)
        {
            throw new NoteFormatException("A checkpoint's root hash is the base64 of 32 bytes.");
        }

        var rootHash = new MerkleHash(root);
        if (treeSize == 0 && rootHash != MerkleTree.EmptyRoot)
        {
            throw new NoteFormatException("The root of an empty tree is the hash of the empty string.");
        }

        if (lines.Skip(3).Any(line => line.Length == 0))
        {
            throw new NoteFormatException("A checkpoint's extension lines are non-empty.");
        }

        return new Checkpoint(lines[0], treeSize, rootHash, [.. lines.Skip(3)]);
    }

    /// <summary>Verifies a checkpoint note against the log's keys and, only if it verifies, parses its text.</summary>
    /// <param name="note">The signed checkpoint.</param>
    /// <param name="logVerifiers">The trusted log keys; witnesses' keys in the set do not count here.</param>
    /// <param name="checkpoint">The checkpoint, when the method returns <see langword="true"/>.</param>
    /// <returns>
    /// <see langword="true"/> if a trusted <see cref="Ed25519NoteVerifier"/> named after the origin signed the note and no
    /// trusted key's signature failed; otherwise <see langword="false"/>.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="note"/> or <paramref name="logVerifiers"/> is <see langword="null"/>.</exception>
    /// <exception cref="NoteFormatException">The note verified but its text is not a checkpoint.</exception>
    public static bool TryOpen(SignedNote note, NoteVerifierSet logVerifiers, [NotNullWhen(true)] out Checkpoint? checkpoint)
    {
        ArgumentNullException.ThrowIfNull(note);
        ArgumentNullException.ThrowIfNull(logVerifiers);
        checkpoint = null;
        NoteVerificationResult result = logVerifiers.Verify(note);
        if (!result.IsVerified)
        {
            return false;
        }

        Checkpoint parsed = Parse(note.Text);
        if (!result.VerifiedBy.Any(v => v is Ed25519NoteVerifier && string.Equals(v.Name, parsed.Origin, StringComparison.Ordinal)))
        {
            return false;
        }

        checkpoint = parsed;
        return true;
    }

    /// <summary>Returns the checkpoint's note text.</summary>
    /// <returns>The origin, size, root and extension lines, each ending in a newline.</returns>
    public string ToText()
    {
        var builder = new StringBuilder()
            .Append(Origin).Append('\n')
            .Append(TreeSize.ToString(CultureInfo.InvariantCulture)).Append('\n')
            .Append(Convert.ToBase64String(RootHash.ToArray())).Append('\n');
        foreach (string line in Extensions)
        {
            builder.Append(line).Append('\n');
        }

        return builder.ToString();
    }

    /// <summary>Signs the checkpoint with the log's key.</summary>
    /// <param name="signer">The log's signer; its key name must equal <see cref="Origin"/>.</param>
    /// <returns>The signed note with one signature.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signer"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException">The signer's name is not the origin.</exception>
    /// <exception cref="ObjectDisposedException">The signer's key has been disposed.</exception>
    public SignedNote Sign(Ed25519NoteSigner signer)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (!string.Equals(signer.Name, Origin, StringComparison.Ordinal))
        {
            throw new ArgumentException("The log's key name is the checkpoint's origin.", nameof(signer));
        }

        string text = ToText();
        return SignedNote.Create(text, [signer.Sign(text)]);
    }

    /// <inheritdoc />
    public bool Equals(Checkpoint? other) =>
        other is not null && string.Equals(other.Origin, Origin, StringComparison.Ordinal) && other.TreeSize == TreeSize &&
        other.RootHash == RootHash && other.Extensions.SequenceEqual(Extensions, StringComparer.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Checkpoint);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Origin, TreeSize, RootHash);

    /// <summary>Describes the checkpoint.</summary>
    /// <returns><c>Checkpoint(origin=…, size=…, root=…)</c>.</returns>
    public override string ToString() => $"Checkpoint(origin={Origin}, size={TreeSize}, root={RootHash})";
}
