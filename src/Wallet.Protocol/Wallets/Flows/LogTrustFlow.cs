namespace Wallet.Protocol.Wallets.Flows;

/// <summary>
/// What the wallet believes of the scheme's log: the trusted tree head (consistency-checked, forks kept as evidence)
/// and the keysets whose announcements it saw in that log (anti-tagging).
/// </summary>
/// <remarks>RFC 9162 section 2.1; DESIGN.md section 3 flow 2.</remarks>
internal sealed class LogTrustFlow(WalletContext context)
{
    private readonly WalletState _state = context.State;

    public TreeHeadStatus ObserveTreeHead(SignedTreeHead treeHead, ConsistencyProof? proof)
    {
        if (!treeHead.Verify(context.SchemeKey))
        {
            return TreeHeadStatus.BadSignature;
        }

        lock (_state.Lock)
        {
            var current = _state.TreeHead;
            if (current is null || (treeHead.TreeSize == current.TreeSize && treeHead.RootHash == current.RootHash))
            {
                _state.TreeHead = treeHead;
                return TreeHeadStatus.Accepted;
            }

            if (treeHead.TreeSize < current.TreeSize)
            {
                if (proof is not null && proof.Verify(treeHead, current))
                {
                    return TreeHeadStatus.Stale;
                }
            }
            else if (treeHead.TreeSize > current.TreeSize && proof is not null && proof.Verify(current, treeHead))
            {
                _state.TreeHead = treeHead;
                return TreeHeadStatus.Accepted;
            }

            _state.ForkEvidence.Add(current);
            _state.ForkEvidence.Add(treeHead);
            return TreeHeadStatus.Fork;
        }
    }

    public bool TrustKeyset(KeysetAnnouncement announcement, InclusionProof proof)
    {
        SignedTreeHead? head;
        lock (_state.Lock)
        {
            head = _state.TreeHead;
        }

        if (head is null || !announcement.Verify(context.SchemeKey) || !proof.Verify(LogEntry.ForKeyset(announcement).LeafHash(), head))
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
}
