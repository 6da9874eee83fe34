namespace Scheme.Server;

/// <summary>
/// The sample server's clock: the system clock, which the authenticated operator may move forward (never back) so a
/// pilot can run months of keyset windows in minutes. A sample feature only; <c>--system-clock</c> turns it off.
/// </summary>
internal sealed class SampleClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>Moves the clock to <paramref name="when"/>; false (and no change) when that lies in its past.</summary>
    public bool MoveTo(DateTimeOffset when)
    {
        long offset = (when - System.GetUtcNow()).Ticks;
        while (true)
        {
            long current = Interlocked.Read(ref _offsetTicks);
            if (offset < current)
            {
                return false;
            }

            if (Interlocked.CompareExchange(ref _offsetTicks, offset, current) == current)
            {
                return true;
            }
        }
    }
}
