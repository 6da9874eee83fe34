namespace Wallet.Benchmarks.Quick;

/// <summary>
/// A group of quick throughput probes. Implementations are found by reflection, so a new suite is one new file.
/// </summary>
public interface IQuickSuite
{
    /// <summary>Short name used to filter suites from the command line (<c>--quick name</c>).</summary>
    string Name { get; }

    /// <summary>Runs the probes, reporting each figure as soon as it is measured.</summary>
    void Run(QuickReporter report);
}
