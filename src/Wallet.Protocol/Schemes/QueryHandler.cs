using Wallet.Crypto.Notes;
using Wallet.Crypto.Tiles;

namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme's read-only answers: the restore queries of flow 7 (issued blind signatures, spent coins) and reads
/// of the transparency log (tree heads, proofs, entries).
/// </summary>
internal sealed class QueryHandler(SchemeContext context, IWithdrawalStore withdrawals, ILogRecordStore logRecords, TileReader tiles)
{
    /// <summary>
    /// Looks up the blind signatures issued for blinded messages (flow 7, restore). Unknown messages give null.
    /// </summary>
    /// <param name="blindedMessages">The re-derived blinded messages.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One entry per message.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="blindedMessages"/> is null.</exception>
    public async Task<IReadOnlyList<BlindSignature?>> FindBlindSignaturesAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blindedMessages);
        var found = new BlindSignature?[blindedMessages.Count];
        for (int i = 0; i < found.Length; i++)
        {
            found[i] = await withdrawals.FindBlindSignatureAsync(blindedMessages[i], cancellationToken).ConfigureAwait(false);
        }

        return found;
    }

    /// <summary>Reports which coins are already spent (flow 7, restore).</summary>
    /// <param name="coins">The coin ids.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>One flag per coin.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="coins"/> is null.</exception>
    public async Task<IReadOnlyList<bool>> AreSpentAsync(IReadOnlyList<CoinId> coins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coins);
        var spent = new bool[coins.Count];
        for (int i = 0; i < spent.Length; i++)
        {
            spent[i] = await context.Ledger.FindSpentAsync(coins[i], cancellationToken).ConfigureAwait(false) is not null;
        }

        return spent;
    }

    /// <summary>Signs the current tree head of the transparency log.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The signed tree head.</returns>
    public async Task<SignedTreeHead> GetTreeHeadAsync(CancellationToken cancellationToken = default) =>
        await context.Log.SignTreeHeadAsync(context.SchemeKey, context.Time, cancellationToken).ConfigureAwait(false);

    /// <summary>Signs a C2SP checkpoint of the log's current size and root under <paramref name="origin"/>.</summary>
    /// <param name="origin">The log's origin, also the key name of the signature.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The checkpoint note, with the scheme's one Ed25519 signature.</returns>
    /// <exception cref="ArgumentException"><paramref name="origin"/> breaks the <see cref="LogOrigin"/> convention.</exception>
    public async Task<SignedNote> SignCheckpointAsync(string origin, CancellationToken cancellationToken = default)
    {
        if (!LogOrigin.IsValid(origin))
        {
            throw new ArgumentException("The origin is a schema-less URL of printable ASCII with no space, '+' or trailing slash.", nameof(origin));
        }

        // The root of a size never changes, so this checkpoint agrees with every tree head the scheme signs at this size.
        ulong size = await context.Log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        MerkleHash root = await context.Log.GetRootAsync(size, cancellationToken).ConfigureAwait(false);
        return Checkpoint.Create(origin, size, root).Sign(new Ed25519NoteSigner(origin, context.SchemeKey));
    }

    /// <summary>Reads a hash tile or entry bundle of the log at its current size.</summary>
    /// <param name="path">The tile or bundle.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The tile, or null when the log does not hold it (yet) at the requested width.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="path"/> is null.</exception>
    /// <exception cref="NotSupportedException">An entry of the bundle is longer than a bundle can frame.</exception>
    /// <exception cref="InvalidOperationException">A stored entry does not hash to the log's leaf (a corrupt store).</exception>
    public async Task<Tile?> ReadTileAsync(TilePath path, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(path);
        ulong size = await context.Log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        if (!path.IsEntryBundle)
        {
            return await tiles.ReadHashTileAsync(path, size, cancellationToken).ConfigureAwait(false);
        }

        // The level-0 tile holds the leaf hashes the entries must match: a bundle never serves bytes the tree does not commit to.
        if (await tiles.ReadHashTileAsync(TilePath.Hashes(0, path.Index, path.Width), size, cancellationToken).ConfigureAwait(false) is not { } leaves)
        {
            return null;
        }

        var entries = new ReadOnlyMemory<byte>[path.Width];
        for (int i = 0; i < entries.Length; i++)
        {
            ulong index = (path.Index * TilePath.FullWidth) + (ulong)i;
            LogEntry entry = await logRecords.GetLogEntryAsync(index, cancellationToken).ConfigureAwait(false)
                ?? throw new InvalidOperationException($"Log entry {index} is below the tree size but not stored.");
            byte[] bytes = entry.Encode();
            if (MerkleTree.HashLeaf(bytes) != new MerkleHash(leaves.Data.Span.Slice(i * MerkleHash.Length, MerkleHash.Length)))
            {
                throw new InvalidOperationException($"Stored log entry {index} does not hash to the log's leaf.");
            }

            if (bytes.Length > TileReader.MaxEntryLength)
            {
                throw new NotSupportedException($"Log entry {index} is longer than an entry bundle can frame.");
            }

            entries[i] = bytes;
        }

        return TileReader.EncodeEntryBundle(path, entries);
    }

    /// <summary>An inclusion proof for a log entry.</summary>
    /// <param name="index">The entry index.</param>
    /// <param name="treeSize">The tree size to prove against.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentOutOfRangeException">The index or size is outside the log.</exception>
    public async Task<InclusionProof> GetInclusionProofAsync(ulong index, ulong treeSize, CancellationToken cancellationToken = default) =>
        await context.Log.GetInclusionProofAsync(index, treeSize, cancellationToken).ConfigureAwait(false);

    /// <summary>A consistency proof between two tree sizes.</summary>
    /// <param name="oldSize">The older size.</param>
    /// <param name="newSize">The newer size.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The proof.</returns>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside the log.</exception>
    public async Task<ConsistencyProof> GetConsistencyProofAsync(ulong oldSize, ulong newSize, CancellationToken cancellationToken = default) =>
        await context.Log.GetConsistencyProofAsync(oldSize, newSize, cancellationToken).ConfigureAwait(false);

    /// <summary>Reads a log entry.</summary>
    /// <param name="index">The entry index.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The entry, or null past the end.</returns>
    public async Task<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken = default) =>
        await logRecords.GetLogEntryAsync(index, cancellationToken).ConfigureAwait(false);
}
