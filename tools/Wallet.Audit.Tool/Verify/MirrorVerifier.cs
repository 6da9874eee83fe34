using Wallet.Audit.Tool.Mirror;
using Wallet.Audit.Tool.Sync;

namespace Wallet.Audit.Tool.Verify;

/// <summary>
/// Every check the auditor has, over the mirror alone: entries intact and decodable; every stored checkpoint signed by
/// the log and rooted in the mirrored leaves; consecutive checkpoints consistent; the witness quorum on the latest one;
/// no stored split view; and the <see cref="LogAuditor"/> replay, one check per <see cref="AuditViolationKind"/> so
/// that a new kind of violation is a new check without a change here.
/// </summary>
internal static class MirrorVerifier
{
    private const int MaxListed = 3;

    public static VerifyOutcome Run(MirrorSnapshot mirror)
    {
        MirrorAnchors anchors = mirror.Anchors;
        Ed25519NoteVerifier logKey = anchors.LogKey;

        // Leaves are recomputed from the entries' bytes: the stored hashes are checked, never trusted.
        MerkleHash[] leaves = [.. mirror.Entries.Select(e => MerkleTree.HashLeaf(e.Bytes))];
        var tree = new LeafTree(leaves);
        List<LogEntry> entries = Decode(mirror.Entries, out CheckResult decoding);
        List<(StoredCheckpoint Stored, SignedNote? Note, Checkpoint? Checkpoint)> opened = [.. mirror.Checkpoints.Select(c => Open(c, logKey))];
        List<SignedTreeHead> heads = [.. mirror.TreeHeads.Select(h => SignedTreeHead.TryDecode(h, out SignedTreeHead? head) ? head : null).OfType<SignedTreeHead>()];

        var checks = new List<CheckResult>
        {
            EntriesIntact(mirror.Entries, leaves),
            decoding,
            CheckpointSignatures(opened, logKey),
            CheckpointRoots(opened, tree),
            Consistency(opened, tree),
            WitnessQuorum(opened, anchors),
            SplitViews(mirror.Forks, logKey),
        };

        AuditReport audit = new LogAuditor(anchors.SchemeKey, anchors.Accreditation).Audit(entries, heads);
        foreach (AuditViolationKind kind in Enum.GetValues<AuditViolationKind>())
        {
            var found = audit.Violations.Where(v => v.Kind == kind).ToList();
            checks.Add(found.Count == 0
                ? new CheckResult($"audit/{kind}", true, $"no violation in {audit.EntriesChecked} entries and {heads.Count} tree heads")
                : new CheckResult($"audit/{kind}", false, $"{found.Count} violation(s); first at {found[0].Position}: {found[0].Detail}"));
        }

        return new VerifyOutcome(checks, audit, entries);
    }

    private static (StoredCheckpoint, SignedNote?, Checkpoint?) Open(StoredCheckpoint stored, Ed25519NoteVerifier logKey)
    {
        try
        {
            SignedNote note = SignedNote.Parse(stored.Note);
            return (stored, note, Checkpoint.TryOpen(note, new NoteVerifierSet(logKey), out Checkpoint? checkpoint) ? checkpoint : null);
        }
        catch (NoteFormatException)
        {
            return (stored, null, null);
        }
    }

    private static CheckResult EntriesIntact(IReadOnlyList<StoredEntry> entries, MerkleHash[] leaves)
    {
        var bad = new List<string>();
        for (int i = 0; i < entries.Count; i++)
        {
            if (entries[i].Index != (ulong)i)
            {
                bad.Add($"entry {i} is missing (next stored index {entries[i].Index})");
                break;
            }

            if (entries[i].LeafHash != leaves[i])
            {
                bad.Add($"entry {i} does not hash to its stored leaf hash");
            }
        }

        return bad.Count == 0
            ? new CheckResult("mirror-entries", true, $"{entries.Count} entries, contiguous, each matching its stored leaf hash")
            : new CheckResult("mirror-entries", false, List(bad));
    }

    private static List<LogEntry> Decode(IReadOnlyList<StoredEntry> stored, out CheckResult check)
    {
        var entries = new List<LogEntry>(stored.Count);
        foreach (StoredEntry entry in stored)
        {
            if (!LogEntry.TryDecode(entry.Bytes, out LogEntry? decoded))
            {
                // The replay stops at the first entry it cannot read: positions after it would be meaningless.
                check = new CheckResult("log-entries-decode", false, $"entry {entry.Index} is not a PB/1 log entry; the audit replays the {entries.Count} entries before it");
                return entries;
            }

            entries.Add(decoded);
        }

        check = new CheckResult("log-entries-decode", true, $"{entries.Count} entries decode as PB/1 log entries");
        return entries;
    }

    private static CheckResult CheckpointSignatures(List<(StoredCheckpoint Stored, SignedNote? Note, Checkpoint? Checkpoint)> opened, Ed25519NoteVerifier logKey)
    {
        var bad = new List<string>();
        foreach (var (stored, note, checkpoint) in opened)
        {
            if (note is null)
            {
                bad.Add($"checkpoint #{stored.Sequence} is not a well-formed signed note");
            }
            else if (checkpoint is null)
            {
                bad.Add($"checkpoint #{stored.Sequence} (size {stored.TreeSize}) is not signed by {logKey.Name}");
            }
            else if (checkpoint.TreeSize != stored.TreeSize || checkpoint.RootHash != stored.RootHash)
            {
                bad.Add($"checkpoint #{stored.Sequence}: the stored size and root differ from the signed note's");
            }
        }

        if (opened.Count == 0)
        {
            bad.Add("the mirror holds no checkpoint");
        }

        return bad.Count == 0
            ? new CheckResult("checkpoint-signatures", true, $"{opened.Count} checkpoint(s) signed by {logKey.Name}+{logKey.KeyId:x8}")
            : new CheckResult("checkpoint-signatures", false, List(bad));
    }

    private static CheckResult CheckpointRoots(List<(StoredCheckpoint Stored, SignedNote? Note, Checkpoint? Checkpoint)> opened, LeafTree leaves)
    {
        var bad = new List<string>();
        foreach (var (stored, _, _) in opened)
        {
            if (stored.TreeSize > (ulong)leaves.Count)
            {
                bad.Add($"checkpoint of size {stored.TreeSize} is beyond the {leaves.Count} mirrored entries");
            }
            else if (leaves.Root((int)stored.TreeSize) != stored.RootHash)
            {
                bad.Add($"checkpoint of size {stored.TreeSize} has root {stored.RootHash}, which the mirrored entries do not produce");
            }
        }

        if (opened.Count > 0 && opened[^1].Stored.TreeSize != (ulong)leaves.Count)
        {
            bad.Add($"the latest checkpoint has size {opened[^1].Stored.TreeSize} but the mirror holds {leaves.Count} entries");
        }

        return bad.Count == 0
            ? new CheckResult("checkpoint-roots", true, $"every checkpoint's root is the root of the first tree-size mirrored entries ({leaves.Count} in all)")
            : new CheckResult("checkpoint-roots", false, List(bad));
    }

    private static CheckResult Consistency(List<(StoredCheckpoint Stored, SignedNote? Note, Checkpoint? Checkpoint)> opened, LeafTree leaves)
    {
        var bad = new List<string>();
        for (int i = 1; i < opened.Count; i++)
        {
            StoredCheckpoint older = opened[i - 1].Stored, newer = opened[i].Stored;
            if (newer.TreeSize < older.TreeSize)
            {
                bad.Add($"the tree shrank from size {older.TreeSize} to {newer.TreeSize}");
            }
            else if (newer.TreeSize == older.TreeSize)
            {
                if (newer.RootHash != older.RootHash)
                {
                    bad.Add($"two roots for size {newer.TreeSize}");
                }
            }
            else if (older.TreeSize > 0 && newer.TreeSize <= (ulong)leaves.Count &&
                !ConsistencyProofs.Compute(leaves, (int)newer.TreeSize, older.TreeSize).Verify(older.RootHash, newer.RootHash))
            {
                bad.Add($"size {older.TreeSize} (root {older.RootHash}) is not a prefix of size {newer.TreeSize} (root {newer.RootHash})");
            }
            else if (newer.TreeSize > (ulong)leaves.Count)
            {
                bad.Add($"size {newer.TreeSize} is beyond the mirrored entries");
            }
        }

        return bad.Count == 0
            ? new CheckResult("checkpoint-consistency", true, $"{Math.Max(0, opened.Count - 1)} consecutive pair(s) of checkpoints consistent (RFC 9162 consistency proofs from the mirrored leaves)")
            : new CheckResult("checkpoint-consistency", false, List(bad));
    }

    private static CheckResult WitnessQuorum(List<(StoredCheckpoint Stored, SignedNote? Note, Checkpoint? Checkpoint)> opened, MirrorAnchors anchors)
    {
        WitnessPolicy? policy = anchors.Policy();
        if (policy is null)
        {
            return new CheckResult("witness-quorum", true, "no witnesses configured for this mirror");
        }

        if (opened.Count == 0 || opened[^1].Note is not { } note)
        {
            return new CheckResult("witness-quorum", false, "no readable latest checkpoint to check");
        }

        WitnessPolicyResult result = policy.Evaluate(note);
        return new CheckResult("witness-quorum", result.IsAccepted, $"latest checkpoint (size {opened[^1].Stored.TreeSize}): {result} of {policy.WitnessCount} configured");
    }

    private static CheckResult SplitViews(IReadOnlyList<StoredFork> forks, Ed25519NoteVerifier logKey)
    {
        if (forks.Count == 0)
        {
            return new CheckResult("split-view", true, "no split-view evidence stored");
        }

        var named = forks.Select(f => Name(f, logKey)).ToList();
        return new CheckResult("split-view", false, $"{forks.Count} fork(s): {string.Join("; ", named)}");
    }

    /// <summary>Names a fork by its two trees.</summary>
    internal static string Name(StoredFork fork, Ed25519NoteVerifier logKey)
    {
        try
        {
            SplitViewEvidence evidence = SplitViewEvidence.Parse(System.Text.Encoding.UTF8.GetBytes(fork.Evidence));
            return $"FORK of {evidence.Origin}: tree size {evidence.FirstCheckpoint.TreeSize} root {evidence.FirstCheckpoint.RootHash} vs tree size {evidence.SecondCheckpoint.TreeSize} root {evidence.SecondCheckpoint.RootHash} ({evidence.Kind}; {(evidence.Verify(logKey) ? "both signed by the log" : "NOT verified with the log key")}; found {fork.DetectedAt:u})";
        }
        catch (WitnessFormatException e)
        {
            return $"unreadable split-view evidence found {fork.DetectedAt:u}: {e.Message}";
        }
    }

    private static string List(List<string> problems) =>
        string.Join("; ", problems.Take(MaxListed)) + (problems.Count > MaxListed ? $"; and {problems.Count - MaxListed} more" : "");
}
