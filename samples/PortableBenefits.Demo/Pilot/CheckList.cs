namespace PortableBenefits.Demo.Pilot;

/// <summary>Every claim the demo prints is a check recorded here; the last line counts them.</summary>
internal sealed class CheckList
{
    private readonly List<(string Group, string Name, bool Passed, string Detail)> _checks = [];

    public IReadOnlyList<(string Group, string Name, bool Passed, string Detail)> All => _checks;

    public long Count => _checks.Count + Extra;

    /// <summary>Checks made in bulk by a component (each replayed log entry, each verified tree head) and reported as one line.</summary>
    public long Extra { get; private set; }

    public bool AllPassed => _checks.All(c => c.Passed);

    public bool Check(string group, string name, bool passed, string detail = "")
    {
        lock (_checks)
        {
            _checks.Add((group, name, passed, detail));
        }

        return passed;
    }

    public void Bulk(string group, string name, long count, bool passed, string detail)
    {
        Check(group, name, passed, detail);
        lock (_checks)
        {
            Extra += Math.Max(0, count - 1);
        }
    }
}
