namespace Wallet.Crypto.Merkle;

/// <summary>
/// A log's signed statement that its tree of <see cref="TreeSize"/> leaves has root <see cref="RootHash"/> at
/// <see cref="Timestamp"/>. Verifiers compare successive tree heads with a <see cref="ConsistencyProof"/> and
/// check receipts against them with an <see cref="InclusionProof"/>.
/// </summary>
/// <remarks>
/// Modelled on the tree head of RFC 9162 section 4.10. Canonical encoding (version 1, 146 bytes):
/// <c>0x03 ‖ 0x01 ‖ tree_size (uint64 BE) ‖ timestamp (uint64 BE, ms since the Unix epoch) ‖ log_id (32) ‖
/// root_hash (32) ‖ signature (64)</c>. The Ed25519 signature covers the first 82 bytes in the
/// <see cref="Domain"/> domain, so it can never be taken for a signature over any other structure.
/// </remarks>
public sealed class SignedTreeHead : IEquatable<SignedTreeHead>
{
    /// <summary>Length of the canonical encoding, in bytes.</summary>
    public const int EncodedLength = SignedLength + Ed25519PublicKey.SignatureLength;

    private const int SignedLength = 2 + 8 + 8 + MerkleLogId.Length + MerkleHash.Length;
    private static readonly long MaxTimestampMilliseconds = DateTimeOffset.MaxValue.ToUnixTimeMilliseconds();

    private readonly byte[] _signature;

    private SignedTreeHead(ulong treeSize, MerkleHash rootHash, DateTimeOffset timestamp, MerkleLogId logId, byte[] signature)
    {
        (TreeSize, RootHash, Timestamp, LogId, _signature) = (treeSize, rootHash, timestamp, logId, signature);
    }

    /// <summary>The signature domain of tree heads: <c>PB1/tree-head</c>, version 1.</summary>
    public static SignatureDomain Domain { get; } = new("PB1/tree-head", 1);

    /// <summary>The number of leaves in the tree.</summary>
    public ulong TreeSize { get; }

    /// <summary>The Merkle Tree Hash of the tree's leaves.</summary>
    public MerkleHash RootHash { get; }

    /// <summary>When the log signed the head, to the millisecond, in UTC.</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The log that signed the head.</summary>
    public MerkleLogId LogId { get; }

    /// <summary>The 64-byte Ed25519 signature.</summary>
    public ReadOnlyMemory<byte> Signature => _signature;

    /// <summary>Signs a tree head, stamped with the current time from <paramref name="timeProvider"/>.</summary>
    /// <param name="treeSize">The number of leaves.</param>
    /// <param name="rootHash">The root of those leaves.</param>
    /// <param name="signingKey">The log's key; the head's <see cref="LogId"/> is derived from its public half.</param>
    /// <param name="timeProvider">The clock; its time is truncated to whole milliseconds.</param>
    /// <returns>The signed tree head.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="signingKey"/> or <paramref name="timeProvider"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="treeSize"/> is 0 but <paramref name="rootHash"/> is not <see cref="MerkleTree.EmptyRoot"/>, or the clock reads before the Unix epoch.</exception>
    /// <exception cref="ObjectDisposedException"><paramref name="signingKey"/> has been disposed.</exception>
    public static SignedTreeHead Sign(ulong treeSize, MerkleHash rootHash, Ed25519SigningKey signingKey, TimeProvider timeProvider)
    {
        ArgumentNullException.ThrowIfNull(signingKey);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (treeSize == 0 && rootHash != MerkleTree.EmptyRoot)
        {
            throw new ArgumentException("The root of an empty tree is the hash of the empty string.", nameof(rootHash));
        }

        long milliseconds = timeProvider.GetUtcNow().ToUnixTimeMilliseconds();
        if (milliseconds < 0)
        {
            throw new ArgumentException("Tree heads cannot be dated before the Unix epoch.", nameof(timeProvider));
        }

        var logId = MerkleLogId.FromPublicKey(signingKey.PublicKey);
        Span<byte> content = stackalloc byte[SignedLength];
        WriteContent(content, treeSize, (ulong)milliseconds, logId, rootHash);
        byte[] signature = signingKey.Sign(Domain, content);
        return new SignedTreeHead(treeSize, rootHash, DateTimeOffset.FromUnixTimeMilliseconds(milliseconds), logId, signature);
    }

    /// <summary>Decodes a tree head from its canonical encoding. The signature is not checked: call <see cref="Verify"/>.</summary>
    /// <param name="encoded">Exactly <see cref="EncodedLength"/> bytes.</param>
    /// <returns>The tree head.</returns>
    /// <exception cref="MerkleFormatException">The bytes are not a canonical version-1 signed tree head.</exception>
    public static SignedTreeHead Decode(ReadOnlySpan<byte> encoded) =>
        TryDecodeCore(encoded, out SignedTreeHead? head) is { } error ? throw new MerkleFormatException(error) : head!;

    /// <summary>Decodes a tree head, returning <see langword="false"/> for any malformed input. The signature is not checked.</summary>
    /// <param name="encoded">Exactly <see cref="EncodedLength"/> bytes.</param>
    /// <param name="head">The tree head, when the method returns <see langword="true"/>.</param>
    /// <returns>Whether the bytes were a canonical version-1 signed tree head.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out SignedTreeHead? head) =>
        TryDecodeCore(encoded, out head) is null;

    /// <summary>Returns the canonical encoding.</summary>
    /// <returns>A new array of <see cref="EncodedLength"/> bytes.</returns>
    public byte[] Encode()
    {
        var bytes = new byte[EncodedLength];
        WriteContent(bytes, TreeSize, (ulong)Timestamp.ToUnixTimeMilliseconds(), LogId, RootHash);
        _signature.CopyTo(bytes.AsSpan(SignedLength));
        return bytes;
    }

    /// <summary>Checks the signature, and that <see cref="LogId"/> is the id of <paramref name="publicKey"/>.</summary>
    /// <param name="publicKey">The log's public key.</param>
    /// <returns><see langword="true"/> if the log with this key signed exactly this head; otherwise <see langword="false"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="publicKey"/> is <see langword="null"/>.</exception>
    public bool Verify(Ed25519PublicKey publicKey)
    {
        ArgumentNullException.ThrowIfNull(publicKey);
        if (MerkleLogId.FromPublicKey(publicKey) != LogId)
        {
            return false;
        }

        Span<byte> content = stackalloc byte[SignedLength];
        WriteContent(content, TreeSize, (ulong)Timestamp.ToUnixTimeMilliseconds(), LogId, RootHash);
        return publicKey.Verify(Domain, content, _signature);
    }

    /// <inheritdoc />
    public bool Equals(SignedTreeHead? other) =>
        other is not null && other.TreeSize == TreeSize && other.RootHash == RootHash &&
        other.Timestamp == Timestamp && other.LogId == LogId && other._signature.AsSpan().SequenceEqual(_signature);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as SignedTreeHead);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(TreeSize, RootHash, Timestamp, LogId);

    /// <summary>Describes the head.</summary>
    /// <returns><c>SignedTreeHead(size=…, root=…, time=…, log=…)</c>.</returns>
    public override string ToString() =>
        $"SignedTreeHead(size={TreeSize}, root={RootHash}, time={Timestamp:O}, log={LogId})";

    private static void WriteContent(Span<byte> destination, ulong treeSize, ulong milliseconds, MerkleLogId logId, MerkleHash rootHash)
    {
        destination[0] = MerkleEncoding.SignedTreeHeadTag;
        destination[1] = MerkleEncoding.Version1;
        BinaryPrimitives.WriteUInt64BigEndian(destination[2..], treeSize);
        BinaryPrimitives.WriteUInt64BigEndian(destination[10..], milliseconds);
        logId.Write(destination[18..]);
        rootHash.Write(destination[(18 + MerkleLogId.Length)..]);
    }

    private static string? TryDecodeCore(ReadOnlySpan<byte> encoded, out SignedTreeHead? head)
    {
        head = null;
        if (encoded.Length != EncodedLength)
        {
            return encoded.Length < EncodedLength ? "The tree head is truncated." : "Trailing bytes after the tree head.";
        }

        if (encoded[0] != MerkleEncoding.SignedTreeHeadTag)
        {
            return "The bytes are not a tree head.";
        }

        if (encoded[1] != MerkleEncoding.Version1)
        {
            return "Unsupported tree head version.";
        }

        ulong treeSize = BinaryPrimitives.ReadUInt64BigEndian(encoded[2..]);
        ulong milliseconds = BinaryPrimitives.ReadUInt64BigEndian(encoded[10..]);
        if (milliseconds > (ulong)MaxTimestampMilliseconds)
        {
            return "The timestamp is out of range.";
        }

        MerkleLogId logId = MerkleLogId.Read(encoded[18..]);
        MerkleHash rootHash = MerkleHash.Read(encoded[(18 + MerkleLogId.Length)..]);
        if (treeSize == 0 && rootHash != MerkleTree.EmptyRoot)
        {
            return "The root of an empty tree is the hash of the empty string.";
        }

        byte[] signature = encoded[SignedLength..].ToArray();
        head = new SignedTreeHead(treeSize, rootHash, DateTimeOffset.FromUnixTimeMilliseconds((long)milliseconds), logId, signature);
        return null;
    }
}
