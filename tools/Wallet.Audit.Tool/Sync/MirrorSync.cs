using System.Buffers.Binary;
using Wallet.Audit.Tool.Cli;
using Wallet.Audit.Tool.Mirror;
using Wallet.Crypto.Tiles;

namespace Wallet.Audit.Tool.Sync;

/// <summary>
/// One sync: fetch the scheme's checkpoint and verify the log's signature on it, fetch the entries the mirror lacks
/// from the entry bundles (or, for a bundle the scheme cannot frame, the level-0 hash tile and single entries), check
/// that the leaves give the checkpoint's root and that the checkpoint extends the last one mirrored, then store it all
/// in one transaction. A checkpoint that contradicts the mirrored one is a fork: the split-view evidence is stored, the
/// mirror is not advanced, and the sync fails naming both trees (PROTOCOL.md 5.12 to 5.14).
/// </summary>
/// <remarks>
/// A scheme serves each cosignature as soon as its witness gives it, so a checkpoint fetched just after the log grew
/// may not yet carry the quorum. With a witness policy, sync asks again every <see cref="QuorumPoll"/> for up to
/// <paramref name="quorumWait"/> until a checkpoint meets it; after that it mirrors the newest one and warns.
/// </remarks>
internal sealed class MirrorSync(SchemeFetcher fetcher, MirrorStore store, MirrorAnchors anchors, TimeProvider time, TextWriter output, TextWriter error, bool errorIsTerminal, TimeSpan quorumWait)
{
    /// <summary>How often sync asks again for a checkpoint that meets the witness quorum.</summary>
    public static readonly TimeSpan QuorumPoll = TimeSpan.FromMilliseconds(500);

    public async Task<int> RunAsync(CancellationToken cancellationToken)
    {
        Ed25519NoteVerifier logKey = anchors.LogKey;

        // The tree head first: the log only grows, so it is never ahead of the checkpoint fetched after it.
        SignedTreeHead? head = await FetchTreeHeadAsync(cancellationToken).ConfigureAwait(false);
        StoredCheckpoint? previous = store.ReadCheckpoints().LastOrDefault();
        (SignedNote note, Checkpoint checkpoint) = await FetchQuorateCheckpointAsync(logKey, previous, cancellationToken).ConfigureAwait(false);
        List<MerkleHash> leaves = store.ReadLeafHashes();
        ulong mirrored = previous?.TreeSize ?? 0;
        if ((ulong)leaves.Count != mirrored)
        {
            throw new ToolException(ExitCodes.AuditFailure, $"The mirror holds {leaves.Count} entries but its latest checkpoint has size {mirrored}; run 'walletcore-audit verify'.");
        }

        ulong size = checkpoint.TreeSize;
        if (previous is not null && size <= mirrored)
        {
            return SameOrOlder(previous, leaves, note, checkpoint, logKey, head);
        }

        List<StoredEntry> fetched = await FetchEntriesAsync(mirrored, size, cancellationToken).ConfigureAwait(false);
        List<MerkleHash> all = [.. leaves, .. fetched.Select(e => e.LeafHash)];
        if (MerkleTree.ComputeRoot(CollectionsMarshalSpan(all)) != checkpoint.RootHash)
        {
            if (previous is null)
            {
                throw new ToolException(ExitCodes.AuditFailure, $"The {size} entries the scheme serves do not produce the root {checkpoint.RootHash} of its checkpoint; nothing was mirrored.");
            }

            ConsistencyProof? served = await FetchConsistencyProofAsync(mirrored, size, cancellationToken).ConfigureAwait(false);
            if (served is not null && served.Verify(previous.RootHash, checkpoint.RootHash))
            {
                throw new ToolException(ExitCodes.AuditFailure, $"The scheme's checkpoint of size {size} extends the mirrored one (its consistency proof verifies), but the entries it serves do not produce its root {checkpoint.RootHash}; nothing was mirrored.");
            }

            // Without a proof from the log, the one computed from the leaves it served is kept: it fails for the same reason.
            return Fork(previous, note, checkpoint, logKey, served ?? ConsistencyProofs.Compute(all, mirrored), served is not null);
        }

        store.Commit(fetched, checkpoint, note.Format(), time.GetUtcNow(), replaceLatest: false, Within(head, size));
        output.WriteLine(previous is null
            ? $"sync: mirrored {fetched.Count} entries of {checkpoint.Origin}; tree size {size}, root {checkpoint.RootHash}"
            : $"sync: mirrored {fetched.Count} new entries of {checkpoint.Origin}; tree size {mirrored} -> {size}, root {checkpoint.RootHash}, consistent with the previous checkpoint");
        WarnOnQuorum(note);
        return ExitCodes.Ok;
    }

    private static ReadOnlySpan<MerkleHash> CollectionsMarshalSpan(List<MerkleHash> list) => System.Runtime.InteropServices.CollectionsMarshal.AsSpan(list);

    private static SignedTreeHead? Within(SignedTreeHead? head, ulong size) => head is not null && head.TreeSize <= size ? head : null;

    private int SameOrOlder(StoredCheckpoint previous, List<MerkleHash> leaves, SignedNote note, Checkpoint checkpoint, Ed25519NoteVerifier logKey, SignedTreeHead? head)
    {
        ulong size = checkpoint.TreeSize;
        if (size == previous.TreeSize)
        {
            if (checkpoint.RootHash != previous.RootHash)
            {
                return Fork(previous, note, checkpoint, logKey, null, servedProof: false);
            }

            // The same tree; keep the note if it carries other signatures (new witness cosignatures, say).
            bool changed = !string.Equals(note.Format(), previous.Note, StringComparison.Ordinal);
            store.Commit([], checkpoint, changed ? note.Format() : previous.Note, changed ? time.GetUtcNow() : previous.FetchedAt, replaceLatest: true, Within(head, size));
            output.WriteLine($"sync: up to date at tree size {size}, root {checkpoint.RootHash}");
            WarnOnQuorum(note);
            return ExitCodes.Ok;
        }

        // An older checkpoint (a cache, say) is fine if it is a prefix of the mirrored tree.
        MerkleHash prefix = MerkleTree.ComputeRoot(CollectionsMarshalSpan(leaves)[..(int)size]);
        if (prefix == checkpoint.RootHash)
        {
            output.WriteLine($"sync: the scheme serves an older checkpoint (size {size}) than the mirror holds ({previous.TreeSize}); it is a prefix of the mirrored log, nothing new");
            return ExitCodes.Ok;
        }

        return Fork(previous, note, checkpoint, logKey, size == 0 ? null : ConsistencyProofs.Compute(leaves, size), servedProof: false);
    }

    private int Fork(StoredCheckpoint previous, SignedNote note, Checkpoint checkpoint, Ed25519NoteVerifier logKey, ConsistencyProof? proof, bool servedProof)
    {
        bool kept = false;
        try
        {
            if (SplitViewEvidence.TryCreate(SignedNote.Parse(previous.Note), note, logKey, proof, out SplitViewEvidence? evidence))
            {
                store.AddFork(evidence, time.GetUtcNow());
                kept = true;
            }
        }
        catch (NoteFormatException)
        {
            // The stored note no longer parses: the mirror was altered; verify reports it.
        }

        string how = checkpoint.TreeSize == previous.TreeSize
            ? "the same size with a different root"
            : servedProof ? "a consistency proof served by the scheme that does not verify" : "no consistency with the mirrored tree";
        error.WriteLine($"sync: FORK of {checkpoint.Origin}: the mirror holds tree size {previous.TreeSize} with root {previous.RootHash}; the scheme now serves tree size {checkpoint.TreeSize} with root {checkpoint.RootHash} ({how}).");
        error.WriteLine(kept
            ? $"sync: split-view evidence stored in {store.Path}; the mirror was not advanced."
            : "sync: the mirror was not advanced.");
        return ExitCodes.AuditFailure;
    }

    private void WarnOnQuorum(SignedNote note)
    {
        if (anchors.Policy() is { } policy && policy.Evaluate(note) is { IsAccepted: false } result)
        {
            error.WriteLine($"sync: warning: the checkpoint lacks the witness quorum: {result}; 'verify' will fail until it is met.");
        }
    }

    private async Task<SignedTreeHead?> FetchTreeHeadAsync(CancellationToken cancellationToken)
    {
        byte[]? body = await fetcher.GetAsync("log/tree-head", missingIsNull: true, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        return SignedTreeHead.TryDecode(body, out SignedTreeHead? head)
            ? head
            : throw new ToolException(ExitCodes.Malformed, $"GET {fetcher.Url("log/tree-head")} answered bytes that are not a signed tree head.");
    }

    // The checkpoint, asked for again while it lacks the witness quorum, until the wait is over. Each one is verified
    // under the log key as it comes; a later one is never smaller, because the log only grows. One that cannot advance
    // the mirror (older, or the same size with another root: a fork) is taken at once, since no cosignature changes that.
    private async Task<(SignedNote Note, Checkpoint Checkpoint)> FetchQuorateCheckpointAsync(Ed25519NoteVerifier logKey, StoredCheckpoint? previous, CancellationToken cancellationToken)
    {
        (SignedNote Note, Checkpoint Checkpoint) fetched = await FetchCheckpointAsync(logKey, cancellationToken).ConfigureAwait(false);
        if (anchors.Policy() is not { } policy)
        {
            return fetched;
        }

        long started = time.GetTimestamp();
        while (!policy.Evaluate(fetched.Note).IsAccepted && CanAdvance(previous, fetched.Checkpoint) && time.GetElapsedTime(started) + QuorumPoll <= quorumWait)
        {
            await Task.Delay(QuorumPoll, time, cancellationToken).ConfigureAwait(false);
            fetched = await FetchCheckpointAsync(logKey, cancellationToken).ConfigureAwait(false);
        }

        return fetched;
    }

    private static bool CanAdvance(StoredCheckpoint? previous, Checkpoint checkpoint) =>
        previous is null || checkpoint.TreeSize > previous.TreeSize || (checkpoint.TreeSize == previous.TreeSize && checkpoint.RootHash == previous.RootHash);

    private async Task<(SignedNote Note, Checkpoint Checkpoint)> FetchCheckpointAsync(Ed25519NoteVerifier logKey, CancellationToken cancellationToken)
    {
        byte[] body = (await fetcher.GetAsync("checkpoint", missingIsNull: false, cancellationToken).ConfigureAwait(false))!;
        Uri url = fetcher.Url("checkpoint");
        try
        {
            SignedNote note = SignedNote.Parse(body);
            return Checkpoint.TryOpen(note, new NoteVerifierSet(logKey), out Checkpoint? checkpoint)
                ? (note, checkpoint)
                : throw new ToolException(ExitCodes.AuditFailure, $"The checkpoint at {url} is not signed by the log key {logKey.Name}+{logKey.KeyId:x8} (or its origin is not that key's name).");
        }
        catch (NoteFormatException e)
        {
            throw new ToolException(ExitCodes.Malformed, $"GET {url} answered a malformed checkpoint note: {e.Message}", e);
        }
    }

    private async Task<ConsistencyProof?> FetchConsistencyProofAsync(ulong oldSize, ulong newSize, CancellationToken cancellationToken)
    {
        string path = string.Create(CultureInfo.InvariantCulture, $"log/consistency-proof?old-size={oldSize}&new-size={newSize}");
        byte[]? body;
        try
        {
            body = await fetcher.GetAsync(path, missingIsNull: true, cancellationToken).ConfigureAwait(false);
        }
        catch (ToolException e) when (e.ExitCode == ExitCodes.Network)
        {
            // A scheme that refuses the proof has not proven consistency; the fork is reported with a computed proof.
            return null;
        }

        return body is not null && ConsistencyProof.TryDecode(body, out ConsistencyProof? proof) && proof.OldSize == oldSize && proof.NewSize == newSize ? proof : null;
    }

    private async Task<List<StoredEntry>> FetchEntriesAsync(ulong from, ulong to, CancellationToken cancellationToken)
    {
        var progress = new SyncProgress(error, errorIsTerminal, to - from);
        var fetched = new List<StoredEntry>();
        for (ulong bundle = from / TilePath.FullWidth; bundle * TilePath.FullWidth < to; bundle++)
        {
            ulong start = bundle * TilePath.FullWidth;
            int width = (int)Math.Min(TilePath.FullWidth, to - start);
            TilePath path = TilePath.Entries(bundle, width);
            byte[]? body = await fetcher.GetAsync(path.ToString(), missingIsNull: true, cancellationToken).ConfigureAwait(false);
            IReadOnlyList<byte[]> entries = body is null
                ? await FetchSinglyAsync(bundle, start, width, from, cancellationToken).ConfigureAwait(false)
                : ParseBundle(body, width, fetcher.Url(path.ToString()));
            for (int i = 0; i < width; i++)
            {
                ulong index = start + (ulong)i;
                if (index >= from)
                {
                    fetched.Add(new StoredEntry(index, entries[i], MerkleTree.HashLeaf(entries[i])));
                }
            }

            progress.Report(start + (ulong)width - from);
        }

        return fetched;
    }

    // A bundle the scheme cannot frame (an entry over 65,535 bytes) is read entry by entry from PB/1, each checked
    // against the level-0 hash tile (docs/PROTOCOL.md 5.14).
    private async Task<IReadOnlyList<byte[]>> FetchSinglyAsync(ulong bundle, ulong start, int width, ulong from, CancellationToken cancellationToken)
    {
        TilePath tilePath = TilePath.Hashes(0, bundle, width);
        byte[] tile = (await fetcher.GetAsync(tilePath.ToString(), missingIsNull: false, cancellationToken).ConfigureAwait(false))!;
        if (tile.Length != width * MerkleHash.Length)
        {
            throw new ToolException(ExitCodes.Malformed, $"GET {fetcher.Url(tilePath.ToString())} answered {tile.Length} bytes, not a hash tile of {width} hashes.");
        }

        var entries = new byte[width][];
        for (int i = 0; i < width; i++)
        {
            ulong index = start + (ulong)i;
            if (index < from)
            {
                entries[i] = [];
                continue;
            }

            string path = string.Create(CultureInfo.InvariantCulture, $"log/entries/{index}");
            byte[] entry = (await fetcher.GetAsync(path, missingIsNull: false, cancellationToken).ConfigureAwait(false))!;
            if (MerkleTree.HashLeaf(entry) != new MerkleHash(tile.AsSpan(i * MerkleHash.Length, MerkleHash.Length)))
            {
                throw new ToolException(ExitCodes.Malformed, $"Log entry {index} from {fetcher.Url(path)} does not hash to its level-0 tile hash.");
            }

            entries[i] = entry;
        }

        return entries;
    }

    private static List<byte[]> ParseBundle(byte[] body, int width, Uri url)
    {
        var entries = new List<byte[]>(width);
        int position = 0;
        while (position < body.Length && entries.Count < width)
        {
            if (body.Length - position < sizeof(ushort))
            {
                break;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(body.AsSpan(position));
            position += sizeof(ushort);
            if (body.Length - position < length)
            {
                break;
            }

            entries.Add(body.AsSpan(position, length).ToArray());
            position += length;
        }

        return entries.Count == width && position == body.Length
            ? entries
            : throw new ToolException(ExitCodes.Malformed, $"GET {url} answered a malformed entry bundle: not {width} length-prefixed entries.");
    }
}
