using System.Globalization;
using Npgsql;
using Wallet.Benchmarks.Postgres;
using Wallet.Benchmarks.Quick;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// Issue 19's several-nodes benchmark and issue 21's mixed load on PostgreSQL: one durable throw-away PostgreSQL server,
/// and on it, each in a fresh schema, (a) one samples/Scheme.Server node with <c>--postgres</c> and (b) two nodes of one
/// scheme (same key files, each its own port), under the same mixed load as <see cref="MixedLoadQuickSuite"/>
/// (<see cref="MixedLoadGenerator"/>), wallets and providers split between the nodes (party i on node i mod 2). Prints
/// coins issued and deposited per second per configuration, p50/p99 per operation, the CPU of every node, of
/// PostgreSQL and of this process, the whole machine's busy share, and how often a node's write-lock connection was
/// seen waiting for the advisory lock; then the paired line <c># ratio nodes-2-vs-1</c>: two nodes' coins issued and
/// deposited per second over one node's, same run.
/// </summary>
public sealed class NodesQuickSuite : IQuickSuite
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    /// <inheritdoc />
    public string Name => "nodes";

    /// <inheritdoc />
    public void Run(QuickReporter report) => RunAsync(report).GetAwaiter().GetResult();

    private static async Task RunAsync(QuickReporter report)
    {
        await using var postgres = await PostgresServer.StartAsync(durable: true);
        var cpu = await PostgresCpu.OpenAsync(postgres.AdminConnectionString);
        double one = await MeasureAsync(report, postgres, cpu, nodeCount: 1);
        double two = await MeasureAsync(report, postgres, cpu, nodeCount: 2);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio nodes-2-vs-1 = {two / one:F2} (coins issued + deposited per second: two nodes {two:F0}/s over one node {one:F0}/s, one PostgreSQL server (fsync on), same run)"));
    }

    /// <summary>Runs the load against <paramref name="nodeCount"/> nodes on a fresh schema; returns coins issued + deposited per second.</summary>
    private static async Task<double> MeasureAsync(QuickReporter report, PostgresServer postgres, PostgresCpu? postgresCpu, int nodeCount)
    {
        string connection = await postgres.CreateSchemaAsync($"nodes{nodeCount}");
        string backend = $"pg{nodeCount}node-http";
        var nodes = new List<SchemeServerProcess>();
        try
        {
            // The first node creates the key files; the others read them, so they start after it.
            nodes.Add(SchemeServerProcess.Start(AppContext.BaseDirectory, "--postgres", connection));
            for (int i = 1; i < nodeCount; i++)
            {
                nodes.Add(SchemeServerProcess.StartNode(AppContext.BaseDirectory, nodes[0], "--postgres", connection));
            }

            using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
            using var world = await MixedLoadWorld.OpenAsync(http, nodes);
            using var sampling = new CancellationTokenSource();
            var samples = SampleLockWaitsAsync(postgres.AdminConnectionString, sampling.Token);
            var postgresStart = postgresCpu?.Read();
            var load = await MixedLoadGenerator.RunAsync(nodes, world);
            var postgresUsed = postgresCpu?.Read() - postgresStart;
            await sampling.CancelAsync();
            var (waiting, active, count) = await samples;

            report.Line("nodes-issued", MixedLoad.IssuedPerCycle, backend, load.IssuedPerSecond);
            report.Line("nodes-deposited", MixedLoad.PayCoins, backend, load.DepositedPerSecond);
            MixedLoad.ReportLatencies(report, $"nodes {backend}", load.Latencies);
            double window = MixedLoad.Window.TotalSeconds;
            string perNode = string.Join(", ", load.NodeCpu.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"node {i} {c.TotalSeconds:F1} s")));
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"nodes {backend} CPU over {window:F0} s on {Environment.ProcessorCount} cores: {perNode}; PostgreSQL {postgresUsed?.TotalSeconds ?? double.NaN:F1} s (over the load's warm-up and window, {MixedLoad.WarmUp.TotalSeconds + window:F0} s); load generator {load.GeneratorCpu.TotalSeconds:F1} s; whole machine {100 * load.MachineBusy:F0} % busy (all processes); {load.Failures} failed calls"));
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"nodes {backend} advisory write lock: a backend waiting for it in {100.0 * waiting / Math.Max(1, count):F0} % of {count} samples, {(double)active / Math.Max(1, count):F1} active backends on average"));
            return load.IssuedPerSecond + load.DepositedPerSecond;
        }
        finally
        {
            // Later nodes first: the first node owns the data directory.
            for (int i = nodes.Count - 1; i >= 0; i--)
            {
                nodes[i].Dispose();
            }
        }
    }

    // Every SampleEvery, whether any backend waits for an advisory lock (the scheme's write lock is the only one taken
    // while the load runs; the store migrations' are over by then) and how many backends run a statement, this one not
    // counted. Over the load's warm-up and window alike.
    private static async Task<(int Waiting, long Active, int Samples)> SampleLockWaitsAsync(string connectionString, CancellationToken cancellation)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(CancellationToken.None);
        await using var command = new NpgsqlCommand(
            "SELECT count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'), count(*) FILTER (WHERE state = 'active' AND pid <> pg_backend_pid()) FROM pg_stat_activity WHERE backend_type = 'client backend'",
            connection);
        int waiting = 0, samples = 0;
        long active = 0;
        while (!cancellation.IsCancellationRequested)
        {
            await using (var reader = await command.ExecuteReaderAsync(CancellationToken.None))
            {
                await reader.ReadAsync(CancellationToken.None);
                waiting += reader.GetInt64(0) > 0 ? 1 : 0;
                active += reader.GetInt64(1);
                samples++;
            }

            try
            {
                await Task.Delay(SampleEvery, cancellation);
            }
            catch (OperationCanceledException)
            {
                break;
            }
        }

        return (waiting, active, samples);
    }
}
