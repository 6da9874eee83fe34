using System.Diagnostics;
using System.Reflection;

namespace Wallet.Benchmarks.Quick;

/// <summary>Finds every <see cref="IQuickSuite"/> in an assembly and runs those matching a filter.</summary>
public static class QuickRunner
{
    /// <summary>Runs the suites; returns a process exit code.</summary>
    public static int Run(Assembly assembly, string? filter, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(assembly);
        var reporter = new QuickReporter(output);
        var suites = assembly.GetTypes()
            .Where(t => typeof(IQuickSuite).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .Select(t => (IQuickSuite)Activator.CreateInstance(t)!)
            .Where(s => filter is null || s.Name.Contains(filter, StringComparison.OrdinalIgnoreCase))
            .OrderBy(s => s.Name, StringComparer.Ordinal)
            .ToList();
        if (suites.Count == 0)
        {
            output.WriteLine($"no quick suite matches '{filter}'");
            return 1;
        }

        var total = Stopwatch.StartNew();
        reporter.Note($"{Environment.ProcessorCount} cores, {System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription}, {System.Runtime.InteropServices.RuntimeInformation.OSDescription}");
        foreach (var suite in suites)
        {
            var clock = Stopwatch.StartNew();
            suite.Run(reporter);
            reporter.Note($"suite {suite.Name}: {clock.Elapsed.TotalSeconds:F1} s");
        }

        reporter.Note($"quick mode finished in {total.Elapsed.TotalSeconds:F1} s");
        return 0;
    }
}
