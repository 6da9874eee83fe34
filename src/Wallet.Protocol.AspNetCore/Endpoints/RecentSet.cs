namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>A set that keeps its newest <c>capacity</c> members: past that, the oldest are forgotten first.</summary>
internal sealed class RecentSet(int capacity)
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _members = new(StringComparer.Ordinal);
    private readonly Queue<string> _order = new();

    public int Count
    {
        get
        {
            lock (_gate)
            {
                return _members.Count;
            }
        }
    }

    public bool Contains(string member)
    {
        lock (_gate)
        {
            return _members.Contains(member);
        }
    }

    public void Add(string member)
    {
        lock (_gate)
        {
            if (!_members.Add(member))
            {
                return;
            }

            _order.Enqueue(member);
            while (_order.Count > capacity)
            {
                _members.Remove(_order.Dequeue());
            }
        }
    }
}
