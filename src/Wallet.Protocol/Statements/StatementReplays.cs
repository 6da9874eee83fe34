namespace Wallet.Protocol.Statements;

/// <summary>
/// The statement requests answered and still inside their time window, by hash: a second use of one is a replay. An
/// entry is forgotten once its request would be refused as stale anyway, so the memory is bounded by one window's
/// requests; past <c>capacity</c> live entries new requests are refused (busy), never let through unchecked.
/// </summary>
internal sealed class StatementReplays(int capacity)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _seen = new(StringComparer.Ordinal);
    private readonly PriorityQueue<string, DateTimeOffset> _expiry = new();

    public StatementStatus TryAccept(StatementRequest request, DateTimeOffset now)
    {
        string key = Convert.ToHexStringLower(request.Hash());
        lock (_gate)
        {
            while (_expiry.TryPeek(out string? old, out var until) && until < now)
            {
                _expiry.Dequeue();
                _seen.Remove(old);
            }

            if (_seen.Contains(key))
            {
                return StatementStatus.Replayed;
            }

            if (_seen.Count >= capacity)
            {
                return StatementStatus.Busy;
            }

            _seen.Add(key);
            _expiry.Enqueue(key, request.SignedAt + StatementRequest.MaxClockSkew);
            return StatementStatus.Answered;
        }
    }
}
