namespace Wallet.Protocol.Providers;

/// <summary>
/// The holder proofs a provider accepted and that are still inside their time window, by body hash: a second use of one
/// is a replay. An entry is forgotten once its proof would be refused as stale anyway, so the memory is bounded by the
/// proofs of one window; past <c>capacity</c> live entries new proofs are refused (busy), never let through unchecked.
/// </summary>
internal sealed class HolderProofReplays(int capacity)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _expiry = new();

    public HolderProofStatus TryAccept(HolderProof proof, DateTimeOffset now)
    {
        string key = Convert.ToHexStringLower(proof.BodyHash());
        lock (_gate)
        {
            while (_expiry.TryPeek(out string? old, out var until) && until < now)
            {
                _expiry.Dequeue();
                _seen.Remove(old);
            }

            if (_seen.Contains(key))
            {
                return HolderProofStatus.Replayed;
            }

            if (_seen.Count >= capacity)
            {
                return HolderProofStatus.Busy;
            }

            _seen.Add(key);
            _expiry.Enqueue(key, proof.SignedAt + HolderProof.MaxClockSkew);
            return HolderProofStatus.Valid;
        }
    }
}
