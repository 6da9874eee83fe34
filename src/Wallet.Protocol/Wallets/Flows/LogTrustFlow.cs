using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// What the wallet believes of the scheme's log: the trusted tree head or witnessed checkpoint (consistency-checked,
/// forks kept as evidence) and the keysets whose announcements it saw in that log (anti-tagging).
/// </summary>
/// <remarks>RFC 9162 section 2.1; DESIGN.md section 3 flow 2; docs/PROTOCOL.md 5.2 and 5.13.</remarks>
internal sealed class LogTrustFlow(WalletContext context)
{
    /// <summary>The most split-view evidence kept; the first pieces prove the fork, and only the scheme can make more.</summary>
    internal const int MaxSplitViews = 64;

    private readonly WalletState _state = context.State;

    public TreeHeadStatus ObserveTreeHead(SignedTreeHead treeHead, ConsistencyProof? proof)
    {
        if (!treeHead.Verify(context.SchemeKey))
        {
            return TreeHeadStatus.BadSignature;
        }

        // Under a witness policy only cosigned checkpoints move trust: a tree head carries no cosignature.
        if (context.WitnessPolicy is not null)
        {
            return TreeHeadStatus.NotWitnessed;
        }

        lock (_state.Lock)
        {
            switch (Compare(treeHead.TreeSize, treeHead.RootHash, proof))
            {
                case CheckpointTrust.Verdict.Advance or CheckpointTrust.Verdict.Same:
                    _state.TreeHead = treeHead;
                    return TreeHeadStatus.Accepted;
                case CheckpointTrust.Verdict.Stale:
                    return TreeHeadStatus.Stale;
            }

            // Two heads are evidence only against the trusted head itself, not a checkpoint trusted past it.
            if (_state.TreeHead is { } current && current.TreeSize >= (_state.Checkpoint?.Checkpoint.TreeSize ?? 0))
            {
                _state.ForkEvidence.Add(current);
                _state.ForkEvidence.Add(treeHead);
            }

            return TreeHeadStatus.Fork;
        }
    }

    public TreeHeadStatus ObserveCheckpoint(SignedNote note, ConsistencyProof? proof)
    {
        lock (_state.Lock)
        {
            // Without a policy the first checkpoint pins the origin: the scheme's key under another name is another log.
            if (!CheckpointTrust.TryOpen(note, context.WitnessPolicy, context.SchemeKey, _state.Checkpoint?.Checkpoint.Origin, out Checkpoint? checkpoint, out Ed25519NoteVerifier? logKey, out bool witnessed))
            {
                return TreeHeadStatus.BadSignature;
            }

            // A checkpoint the log signed contradicts the trusted one whether or not witnesses cosigned it.
            switch (Compare(checkpoint.TreeSize, checkpoint.RootHash, proof))
            {
                case CheckpointTrust.Verdict.Stale:
                    return TreeHeadStatus.Stale;
                case CheckpointTrust.Verdict.Conflict:
                    KeepSplitView(note, logKey, proof);
                    return TreeHeadStatus.Fork;
            }

            if (!witnessed)
            {
                return TreeHeadStatus.NotWitnessed;
            }

            _state.Checkpoint = new TrustedCheckpoint(note, checkpoint);
            return TreeHeadStatus.Accepted;
        }
    }

    public bool TrustKeyset(KeysetAnnouncement announcement, InclusionProof proof)
    {
        (ulong Size, MerkleHash Root)? trusted;
        lock (_state.Lock)
        {
            trusted = _state.TrustedTree();
        }

        // The proof must be against the trusted size itself: a root does not commit to its size (InclusionProof.Verify).
        if (trusted is not { } tree || proof.TreeSize != tree.Size || !announcement.Verify(context.SchemeKey) ||
            !proof.Verify(LogEntry.ForKeyset(announcement).LeafHash(), tree.Root))
        {
            return false;
        }

        var descriptor = announcement.Descriptor;
        BlindRsaPublicKey key;
        try
        {
            key = descriptor.ImportPublicKey();
        }
        catch (CryptographicException)
        {
            return false;
        }

        lock (_state.Lock)
        {
            if (_state.Keysets.ContainsKey(descriptor.Id))
            {
                key.Dispose();
                return true;
            }

            _state.Keysets[descriptor.Id] = new TrustedKeyset(descriptor, key);
            return true;
        }
    }

    private CheckpointTrust.Verdict Compare(ulong size, MerkleHash root, ConsistencyProof? proof) =>
        CheckpointTrust.Compare(_state.TrustedTree(), size, root, proof);

    // Evidence needs two notes the log signed that cannot both be true: the trusted checkpoint and this one, with the
    // failed proof when the sizes differ. A missing proof, or a conflict with a tree head only, proves nothing to others.
    private void KeepSplitView(SignedNote note, Ed25519NoteVerifier logKey, ConsistencyProof? proof)
    {
        if (_state.Checkpoint is { } trusted && _state.SplitViews.Count < MaxSplitViews &&
            SplitViewEvidence.TryCreate(trusted.Note, note, logKey, proof, out SplitViewEvidence? evidence) &&
            !_state.SplitViews.Contains(evidence))
        {
            _state.SplitViews.Add(evidence);
        }
    }
}
