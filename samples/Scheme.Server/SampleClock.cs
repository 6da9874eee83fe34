namespace Scheme.Server;

/// <summary>
/// The sample server's clock: the system clock, which the authenticated operator may move forward (never back) so a
/// pilot can run months of keyset windows in minutes. A sample feature only; <c>--system-clock</c> turns it off.
/// </summary>
internal sealed class SampleClock : TimeProvider
{
    private long _offsetTicks;

    public override DateTimeOffset GetUtcNow() => System.GetUtcNow().AddTicks(Interlocked.Read(ref _offsetTicks));

    /// <summary>
    /// Moves the clock forward to <paramref name="when"/>, so that it reads at least that afterwards. A time it has already
    /// passed leaves it as it is (it never moves back): putting the same time twice, or two times closer together than
    /// the real time between the calls, is not an error, as a retried PUT must not be.
    /// </summary>
    public void MoveTo(DateTimeOffset when)
    {
        long offset = (when - System.GetUtcNow()).Ticks;
        while (true)
        {
            long current = Interlocked.Read(ref _offsetTicks);
            if (offset <= current || Interlocked.CompareExchange(ref _offsetTicks, offset, current) == current)
            {
                return;
            }
        }
    }
}
