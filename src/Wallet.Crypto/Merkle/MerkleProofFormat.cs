namespace Wallet.Crypto.Merkle;

/// <summary>
/// The canonical encoding of one kind of <see cref="MerkleProof{TSelf}"/>: the common layout of
/// <see cref="MerkleEncoding.EncodeProof"/> under the kind's tag, the kind's own checks on the two numbers and
/// the path length, and how to build the proof once they pass.
/// </summary>
/// <param name="tag">The first byte of the encoding.</param>
/// <param name="check">The error for numbers (in encoding order) and a path length the kind refuses, or <see langword="null"/>.</param>
/// <param name="create">Builds the proof from the two numbers (in encoding order) and the decoded path.</param>
internal sealed class MerkleProofFormat<TProof>(
    byte tag,
    Func<ulong, ulong, int, string?> check,
    Func<ulong, ulong, ImmutableArray<MerkleHash>, TProof> create)
    where TProof : class
{
    /// <summary>Encodes the two numbers (in encoding order) and the path.</summary>
    public byte[] Encode(ulong first, ulong second, ImmutableArray<MerkleHash> path) =>
        MerkleEncoding.EncodeProof(tag, first, second, path);

    /// <summary>Decodes exactly one proof of this kind.</summary>
    /// <exception cref="MerkleFormatException">The bytes are not one canonical version-1 proof of this kind.</exception>
    public TProof Decode(ReadOnlySpan<byte> encoded) =>
        TryDecode(encoded, out TProof? proof) is { } error ? throw new MerkleFormatException(error) : proof!;

    /// <summary>Decodes exactly one proof of this kind; returns why the bytes are not one, or <see langword="null"/>.</summary>
    public string? TryDecode(ReadOnlySpan<byte> encoded, out TProof? proof)
    {
        proof = null;
        string? error = MerkleEncoding.TryDecodeProof(encoded, tag, out ulong first, out ulong second, out ImmutableArray<MerkleHash> path) ??
            check(first, second, path.Length);
        if (error is null)
        {
            proof = create(first, second, path);
        }

        return error;
    }
}
