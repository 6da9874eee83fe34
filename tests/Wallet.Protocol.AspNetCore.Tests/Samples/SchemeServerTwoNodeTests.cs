using System.Diagnostics;
using Wallet.Benchmarks.Postgres;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Postgres.Ledger;
using Xunit.Abstractions;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// Issue 19's several-nodes test: two samples/Scheme.Server processes over one PostgreSQL database (a real, throw-away
/// server) serve one scheme under withdrawal, deposit and swap traffic from workers and providers split between them.
/// One node at a time is SIGKILLed at seeded moments or at the named points of the fault-injection seam, and restarted;
/// a request that died with its node is re-sent with the same bytes and idempotency key to the other node. Afterwards no
/// value is lost or duplicated (the crash soak's books), both nodes hand out the same tree head, the log audit is clean
/// before and after expiry, the ledger verifies from the database itself, and no SQLite file exists anywhere in the
/// nodes' directory.
/// </summary>
public sealed class SchemeServerTwoNodeTests(ITestOutputHelper output)
{
    private const int Seed = 19_2026;
    private const int Workers = 4;

    // Which node dies, and how: "random" kills at a seeded moment; "<point>@<flow>" arms the node's next generation, which
    // kills itself at that point of that flow while the other node keeps serving.
    private static readonly (int Node, string How)[] Schedule =
    [
        (1, "random"), (0, "random"), (1, "after-debit@withdrawal"), (0, "after-log-append@swap"), (1, "random"),
        (0, "after-signing@deposit"), (1, "random"), (0, "random"),
    ];

    [Fact]
    public async Task TwoNodesOnOnePostgresDatabaseKilledInTurnUnderLoadLoseAndDuplicateNoValue()
    {
        await using var postgres = await PostgresServer.StartAsync(durable: false);
        string connection = await postgres.CreateSchemaAsync("nodes");
        string root = Directory.CreateTempSubdirectory("walletcore-nodes-").FullName;
        var random = new Random(Seed);
        var watch = Stopwatch.StartNew();
        output.WriteLine($"two nodes: seed {Seed}, {Workers} workers, {Schedule.Length} kills, key files in {root}");
        try
        {
            // One directory for the sample's key files (the first node creates them, the second reads them); every store in PostgreSQL.
            await using var first = new SchemeServerChild(root, "--postgres", connection);
            await using var second = new SchemeServerChild(root, "--postgres", connection);
            SchemeServerChild[] nodes = [first, second];
            await first.StartAsync();
            await second.StartAsync();
            using var world = await CrashSoakWorld.OpenAsync(nodes, Workers, Seed);
            var load = world.RunAsync();
            foreach (var (index, how) in Schedule)
            {
                if (load.IsCompleted)
                {
                    break;
                }

                var node = nodes[index];
                if (how == "random")
                {
                    int delay = random.Next(200, 1200);
                    await Task.Delay(delay);
                    await node.KillAsync();
                    output.WriteLine($"node {index}: SIGKILL at a random moment, {delay} ms into generation {node.Starts}");
                }
                else
                {
                    await node.KillAsync();
                    string armed = how.Replace("@", $":{random.Next(1, 4)}@", StringComparison.Ordinal);
                    await node.StartAsync(armed);
                    var (crashed, exitCode, lines) = await node.WaitForCrashAsync(TimeSpan.FromSeconds(120));
                    Assert.True(crashed, $"node {index} generation {node.Starts} never reached {armed}\n{string.Join("\n", world.Anomalies)}\n{lines}");
                    Assert.Equal(137, exitCode);
                    output.WriteLine($"node {index}: generation {node.Starts} killed itself at {armed}");
                }

                // The other node serves alone for a moment, so requests of the dead node's parties fail over to it.
                await Task.Delay(random.Next(200, 600));
                Assert.True(world.Anomalies.IsEmpty, string.Join("\n", world.Anomalies));
                await node.StartAsync();
            }

            world.Stop();
            await load;
            Assert.True(world.Anomalies.IsEmpty, string.Join("\n", world.Anomalies));
            output.WriteLine($"load: {world.Workers.Sum(w => w.Withdrawals)} withdrawals, {world.Workers.Sum(w => w.Swaps)} swaps, {world.Providers.Sum(p => p.Deposits)} deposits; "
                + $"{world.RetriedRequests} requests re-sent after a kill ({world.RetriedSummary}), {world.Failovers} of them answered by the other node; "
                + $"{first.Starts} + {second.Starts} node starts");
            Assert.True(world.RetriedRequests > 0, "no request was in flight at any kill: the test proved nothing");
            Assert.True(world.Failovers > 0, "no request failed over to the other node");

            await SoakBooks.CheckAsync(world, output);

            // Both nodes serve the same log: the same signed size and root.
            var heads = await Task.WhenAll(world.Clients.Select(c => c.GetTreeHeadAsync()));
            Assert.Equal(heads[0].TreeSize, heads[1].TreeSize);
            Assert.Equal(heads[0].RootHash, heads[1].RootHash);
            long expired = await SoakBooks.ExpireAndAuditAsync(world, output);

            await first.KillAsync();
            await second.KillAsync();
            await using (var store = await PostgresLedgerStore.OpenAsync(connection))
            {
                var verification = await new SchemeLedger(store, TimeProvider.System).VerifyAsync();
                Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
                output.WriteLine($"ledger in PostgreSQL: {verification.EntryCount} journal entries replayed, {verification.AccountCount} accounts, valid");
            }

            string[] sqlite = [.. Directory.EnumerateFiles(root, "*", SearchOption.AllDirectories).Where(f => f.EndsWith(".db", StringComparison.Ordinal) || f.Contains(".db-", StringComparison.Ordinal))];
            Assert.True(sqlite.Length == 0, "SQLite files next to the nodes: " + string.Join(", ", sqlite));
            output.WriteLine($"checks passed: books balance, one tree head on both nodes, audit clean before and after expiry ({expired} expired), "
                + $"ledger verified in PostgreSQL, no SQLite file; {watch.Elapsed.TotalSeconds:F0} s");
        }
        catch
        {
            output.WriteLine($"two-node test failed after {watch.Elapsed.TotalSeconds:F0} s; replay with seed {Seed}; PostgreSQL log {postgres.LogFile}");
            throw;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
