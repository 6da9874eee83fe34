namespace PortableBenefits.Demo.Pilot;

/// <summary>The pilot's calendar: three months pass in a couple of minutes, so time is simulated and moved by the steps.</summary>
internal sealed class PilotClock(DateTimeOffset start) : TimeProvider
{
    private long _ticks = start.UtcTicks;

    public DateTimeOffset Now => GetUtcNow();

    public override DateTimeOffset GetUtcNow() => new(Interlocked.Read(ref _ticks), TimeSpan.Zero);

    public void MoveTo(DateTimeOffset when)
    {
        if (when < Now)
        {
            throw new InvalidOperationException("The pilot's clock only moves forward.");
        }

        Interlocked.Exchange(ref _ticks, when.UtcTicks);
    }
}
