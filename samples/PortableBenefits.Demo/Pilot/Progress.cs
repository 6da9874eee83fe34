namespace PortableBenefits.Demo.Pilot;

/// <summary>Prints a long step's progress at every tenth, so a two-minute run never looks stuck.</summary>
internal sealed class Progress(string label, int total)
{
    private int _done;
    private int _lastTenth;

    public void Advance()
    {
        int done = Interlocked.Increment(ref _done);
        int tenth = total == 0 ? 10 : done * 10 / total;
        int last = Volatile.Read(ref _lastTenth);
        if (tenth > last && Interlocked.CompareExchange(ref _lastTenth, tenth, last) == last)
        {
            Console.WriteLine($"      {label}: {done:N0}/{total:N0}");
        }
    }
}
