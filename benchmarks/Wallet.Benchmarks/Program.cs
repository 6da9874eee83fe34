using System.Reflection;
using BenchmarkDotNet.Running;
using Wallet.Benchmarks.Quick;

namespace Wallet.Benchmarks;

/// <summary>
/// Entry point: <c>--quick [filter]</c> runs the fast throughput probes of every <see cref="IQuickSuite"/>
/// and prints one <c>quick &lt;operation&gt; &lt;size&gt; &lt;backend&gt; &lt;ops_per_second&gt;</c> line per figure;
/// anything else goes to BenchmarkDotNet's switcher (for example <c>--filter *BlindRsa*</c>).
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == "--quick")
        {
            string? filter = args.Length > 1 ? args[1] : null;
            return QuickRunner.Run(Assembly.GetExecutingAssembly(), filter, Console.Out);
        }

        BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
        return 0;
    }
}
