using System.Globalization;
using Wallet.Benchmarks.Operators;
using Wallet.Benchmarks.Protocol;
using Wallet.Protocol.Roles;

namespace Wallet.Benchmarks.Quick;

/// <summary>
/// Payroll contributions through <see cref="ISchemeOperator"/>: in process, and over the authenticated operator API on
/// loopback against the same scheme, measured in alternating rounds (short: it has no target, and the whole quick
/// mode must stay under a minute).
/// </summary>
public sealed class OperatorQuickSuite : IQuickSuite
{
    public string Name => "operator";

    public void Run(QuickReporter report)
    {
        using var world = new ProtocolBenchmarkWorld();
        var (app, http, client) = OperatorBenchmarks.StartLoopback(world.Scheme);
        try
        {
            ISchemeOperator inProcess = world.Scheme;
            long next = 0;
            var (loopback, local, ratio) = QuickReporter.MeasurePaired(
                () => OperatorBenchmarks.Contribute(client, world.Account, ++next),
                () => OperatorBenchmarks.Contribute(inProcess, world.Account, ++next),
                rounds: 3,
                roundTime: TimeSpan.FromMilliseconds(150));
            report.Line("operator-contribute", 1, "loopback", loopback);
            report.Line("operator-contribute", 1, "in-process", local);
            report.Note(string.Create(CultureInfo.InvariantCulture, $"operator-contribute loopback / in-process = {ratio:F2}"));
        }
        finally
        {
            http.Dispose();
            app.StopAsync().GetAwaiter().GetResult();
            ((IDisposable)app).Dispose();
        }
    }
}
