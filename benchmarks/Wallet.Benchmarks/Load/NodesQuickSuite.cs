using System.Diagnostics;
using System.Globalization;
using Npgsql;
using Wallet.Benchmarks.Postgres;
using Wallet.Benchmarks.Quick;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// Issue 19's several-nodes benchmark and issue 21's mixed load on PostgreSQL: one durable throw-away PostgreSQL server,
/// and on it, each in a fresh schema, (a) one samples/Scheme.Server node with <c>--postgres</c>, (b) two nodes of one
/// scheme (same key files, each its own port), and (a) again, under the same mixed load as <see cref="MixedLoadQuickSuite"/>
/// (<see cref="MixedLoadGenerator"/>), wallets and providers split between the nodes (party i on node i mod 2). Prints
/// coins issued and deposited per second per configuration, p50/p99 per operation, the CPU of every node, of
/// PostgreSQL and of this process, the whole machine's busy share, and how often a node's write-lock connection was
/// seen waiting for the advisory lock; then the paired line <c># ratio nodes-2-vs-1</c>: two nodes' coins issued and
/// deposited per second over the mean of the one-node runs before and after, same run.
/// </summary>
public sealed class NodesQuickSuite : IQuickSuite
{
    private static readonly TimeSpan SampleEvery = TimeSpan.FromMilliseconds(100);

    // Shorter than the SQLite suite's: three configurations run one after the other, each on fresh server processes.
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan Window = TimeSpan.FromSeconds(3);

    /// <inheritdoc />
    public string Name => "nodes";

    /// <inheritdoc />
    public void Run(QuickReporter report) => RunAsync(report).GetAwaiter().GetResult();

    private static async Task RunAsync(QuickReporter report)
    {
        if (await QuickPostgres.StartOrSkipAsync(report, "nodes") is not { } postgres)
        {
            return;
        }

        await using var server = postgres;

        // PostgreSQL's CPU is read from /proc, so only for the server this suite started on this machine.
        var cpu = postgres.IsExternal ? null : await PostgresCpu.OpenAsync(postgres.AdminConnectionString);
        // One node, two nodes, one node again: the one-node figure is the mean of the two runs around the two-node one,
        // so that a change in the machine's other work during the suite weighs on both sides of the ratio alike.
        var before = await MeasureAsync(report, postgres, cpu, nodeCount: 1, "pg1node-http (before)");
        var two = await MeasureAsync(report, postgres, cpu, nodeCount: 2, "pg2node-http");
        var after = await MeasureAsync(report, postgres, cpu, nodeCount: 1, "pg1node-http (after)");
        var one = ((before.Issued + after.Issued) / 2, (before.Deposited + after.Deposited) / 2);
        report.Line("nodes-issued", MixedLoad.IssuedPerCycle, "pg1node-http", one.Item1);
        report.Line("nodes-deposited", MixedLoad.PayCoins, "pg1node-http", one.Item2);
        report.Line("nodes-issued", MixedLoad.IssuedPerCycle, "pg2node-http", two.Issued);
        report.Line("nodes-deposited", MixedLoad.PayCoins, "pg2node-http", two.Deposited);
        double oneTotal = one.Item1 + one.Item2, twoTotal = two.Issued + two.Deposited;
        report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio nodes-2-vs-1 = {twoTotal / oneTotal:F2} (coins issued + deposited per second: two nodes {twoTotal:F0}/s over one node {oneTotal:F0}/s, the mean of {before.Issued + before.Deposited:F0}/s before and {after.Issued + after.Deposited:F0}/s after; one PostgreSQL server (fsync on), same run)"));
    }

    /// <summary>Runs the load against <paramref name="nodeCount"/> nodes on a fresh schema, notes its figures under <paramref name="backend"/>, and returns its coins issued and deposited per second.</summary>
    private static async Task<(double Issued, double Deposited)> MeasureAsync(QuickReporter report, PostgresServer postgres, PostgresCpu? postgresCpu, int nodeCount, string backend)
    {
        string connection = await postgres.CreateSchemaAsync($"nodes{nodeCount}");
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
            var samples = SampleLockAsync(postgres.AdminConnectionString);
            var database = ReadOverWindowAsync(postgres.AdminConnectionString, postgresCpu);
            var load = await MixedLoadGenerator.RunAsync(nodes, world, WarmUp, Window);
            var (postgresUsed, transactions) = await database;
            var (held, waiting, active, count) = await samples;

            report.Note(string.Create(CultureInfo.InvariantCulture, $"nodes {backend}: {load.IssuedPerSecond:F1} coins issued/s, {load.DepositedPerSecond:F1} deposited/s"));
            MixedLoad.ReportLatencies(report, $"nodes {backend}", load.Latencies);
            double window = Window.TotalSeconds;
            double cycles = Math.Max(1.0, (double)load.IssuedCoins / MixedLoad.IssuedPerCycle);
            string perNode = string.Join(", ", load.NodeCpu.Select((c, i) => string.Create(CultureInfo.InvariantCulture, $"node {i} {c.TotalSeconds:F1} s")));
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"nodes {backend} CPU over {window:F0} s on {Environment.ProcessorCount} cores: {perNode}; PostgreSQL {postgresUsed.TotalSeconds:F1} s; load generator {load.GeneratorCpu.TotalSeconds:F1} s; per wallet cycle: nodes {1000 * load.ServerCpu.TotalSeconds / cycles:F1} ms, PostgreSQL {1000 * postgresUsed.TotalSeconds / cycles:F1} ms; whole machine {100 * load.MachineBusy:F0} % busy (all processes); {load.Failures} failed calls"));
            report.Note(string.Create(CultureInfo.InvariantCulture,
                $"nodes {backend} advisory write lock: held in {100.0 * held / Math.Max(1, count):F0} %, a node waiting for it in {100.0 * waiting / Math.Max(1, count):F0} % of {count} samples; {(double)active / Math.Max(1, count):F1} backends running a statement on average; {transactions / cycles:F0} PostgreSQL transactions per wallet cycle"));
            return (load.IssuedPerSecond, load.DepositedPerSecond);
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

    // Every SampleEvery, whether an advisory lock is held and whether a backend waits for one (the scheme's write lock is
    // the only advisory lock taken while the load runs; the store migrations' are over by then), and how many backends
    // run a statement, this one not counted. Over the load's window, started with the generator.
    private static async Task<(int Held, int Waiting, long Active, int Samples)> SampleLockAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await Task.Delay(WarmUp);
        var window = Stopwatch.StartNew();
        await using var command = new NpgsqlCommand(
            "SELECT (SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted), "
            + "count(*) FILTER (WHERE wait_event_type = 'Lock' AND wait_event = 'advisory'), count(*) FILTER (WHERE state = 'active' AND pid <> pg_backend_pid()) "
            + "FROM pg_stat_activity WHERE backend_type = 'client backend'",
            connection);
        int held = 0, waiting = 0, samples = 0;
        long active = 0;
        while (window.Elapsed < Window)
        {
            await using (var reader = await command.ExecuteReaderAsync())
            {
                await reader.ReadAsync();
                held += reader.GetInt64(0) > 0 ? 1 : 0;
                waiting += reader.GetInt64(1) > 0 ? 1 : 0;
                active += reader.GetInt64(2);
                samples++;
            }

            await Task.Delay(SampleEvery);
        }

        return (held, waiting, active, samples);
    }

    // PostgreSQL's CPU time (NaN off Linux) and its transactions over the load's window, read alongside the generator's
    // own clock (started together, so the two windows agree within milliseconds).
    private static async Task<(TimeSpan Cpu, long Transactions)> ReadOverWindowAsync(string connectionString, PostgresCpu? cpu)
    {
        await Task.Delay(WarmUp);
        var cpuStart = cpu?.Read() ?? TimeSpan.Zero;
        long transactionsStart = await TransactionsAsync(connectionString);
        await Task.Delay(Window);
        var used = cpu is null ? TimeSpan.FromSeconds(double.NaN) : cpu.Read() - cpuStart;
        return (used, await TransactionsAsync(connectionString) - transactionsStart);
    }

    // Committed and rolled-back transactions of the database so far (the statistics lag by up to a second).
    private static async Task<long> TransactionsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT xact_commit + xact_rollback FROM pg_stat_database WHERE datname = current_database()", connection);
        return (long)(await command.ExecuteScalarAsync())!;
    }
}
