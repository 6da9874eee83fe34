using System.Diagnostics;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite;
using Xunit.Abstractions;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// The crash soak of issue 15 (docs/PROTOCOL.md 8.3): samples/Scheme.Server on SQLite with sealed keyset keys, under
/// withdrawal, deposit and swap load over loopback HTTP, is SIGKILLed at random moments and at the named points of its
/// fault-injection seam (WALLETCORE_CRASH_AT), restarted on the same data directory and key file each time, and every
/// request in flight is re-sent with the same bytes and idempotency key. Afterwards no value is lost or duplicated:
/// per worker, funded = balance + withdrawn; per provider, deposit receipts = payable = what it was paid; the ledger
/// verifies (over the operator API, and from its file once the server is stopped); the log audit is clean and agrees
/// with the ledger per keyset, before and after an expiry run. The kill schedule is fixed and the random moments come
/// from <see cref="Seed"/>, printed with every kill, so a failure replays.
/// </summary>
public sealed class SchemeServerCrashSoakTests(ITestOutputHelper output)
{
    private const int Seed = 15_2026;
    private const int Workers = 4;

    // "random" kills at a seeded moment; "<point>@<flow>" arms the next generation, which kills itself at the nth (seeded,
    // 1 to 3) passage of that flow through the point: every named point of every flow once.
    private static readonly string[] Schedule =
    [
        "random", "after-debit@withdrawal", "random", "after-signing@deposit", "after-log-append@swap", "random",
        "before-response@withdrawal", "after-debit@deposit", "random", "after-signing@swap", "after-log-append@withdrawal",
        "before-response@deposit", "random", "after-debit@swap", "after-signing@withdrawal", "after-log-append@deposit",
        "random", "before-response@swap",
    ];

    [Fact]
    public async Task SchemeServerKilledUnderLoadLosesAndDuplicatesNoValue()
    {
        string root = Directory.CreateTempSubdirectory("walletcore-soak-").FullName;
        var random = new Random(Seed);
        var watch = Stopwatch.StartNew();
        output.WriteLine($"crash soak: seed {Seed}, {Workers} workers, {Schedule.Length} kills, data {root}");
        try
        {
            await using var server = new SchemeServerChild(root);
            await server.StartAsync();
            using var world = await CrashSoakWorld.OpenAsync(server, Workers, Seed);
            var load = world.RunAsync();
            string? armed = null; // the first generation runs the setup unarmed: Schedule[0] is a random kill
            int kills = 0, named = 0;
            for (int kill = 1; kill <= Schedule.Length && !load.IsCompleted; kill++)
            {
                kills++;
                string point = Schedule[kill - 1];
                if (point == "random")
                {
                    int delay = random.Next(100, 1000);
                    await Task.Delay(delay);
                    await server.KillAsync();
                    output.WriteLine($"kill {kill,2}: SIGKILL at a random moment, {delay} ms into generation {server.Starts}");
                }
                else
                {
                    // This generation was started armed (below); it kills itself at its nth passage through the point.
                    var (crashed, exitCode, lines) = await server.WaitForCrashAsync(TimeSpan.FromSeconds(120));
                    Assert.True(crashed, $"generation {server.Starts} never reached {armed}\n{string.Join("\n", world.Anomalies)}\n{lines}");
                    Assert.Contains($"crash point {armed} reached", lines, StringComparison.Ordinal);
                    Assert.Equal(137, exitCode);
                    named++;
                    string line = lines.Split('\n').First(l => l.Contains(" reached in ", StringComparison.Ordinal)).Trim();
                    output.WriteLine($"kill {kill,2}: generation {server.Starts}: {line}");
                }

                Assert.True(world.Anomalies.IsEmpty, string.Join("\n", world.Anomalies));
                armed = kill < Schedule.Length && Schedule[kill] != "random" ? Schedule[kill].Replace("@", $":{random.Next(1, 4)}@", StringComparison.Ordinal) : null;
                await server.StartAsync(armed);
            }

            world.Stop();
            await load;
            Assert.True(world.Anomalies.IsEmpty, string.Join("\n", world.Anomalies));
            Assert.Equal(Schedule.Length, kills);
            output.WriteLine($"load: {world.Workers.Sum(w => w.Withdrawals)} withdrawals, {world.Workers.Sum(w => w.Swaps)} swaps, {world.Providers.Sum(p => p.Deposits)} deposits; "
                + $"{world.RetriedRequests} requests re-sent after a kill ({world.RetriedSummary}; {world.RetryAttempts} attempts); {kills} kills ({named} at named points), {server.Starts} server starts");
            Assert.True(world.RetriedRequests > 0, "no request was in flight at any kill: the soak proved nothing");

            await SoakBooks.CheckAsync(world, output);
            long expired = await SoakBooks.ExpireAndAuditAsync(world, output);

            // The ledger file itself, opened through the library once the server is gone.
            await server.KillAsync();
            await using (var database = await SqliteSchemeDatabase.OpenAsync(Path.Combine(server.Data, SqliteSchemeDatabase.DefaultFileName)))
            {
                var verification = await new SchemeLedger(database.Ledger, TimeProvider.System).VerifyAsync();
                Assert.True(verification.IsValid, string.Join("; ", verification.Problems));
                output.WriteLine($"ledger file: {verification.EntryCount} journal entries replayed, {verification.AccountCount} accounts, valid");
            }

            output.WriteLine($"checks passed: {Workers} workers funded = balance + withdrawn, {world.Providers.Count} providers receipts = payable = paid, "
                + $"keyset totals = log, ledger verified, audit clean before and after expiry ({expired} expired); {watch.Elapsed.TotalSeconds:F0} s");
        }
        catch
        {
            output.WriteLine($"crash soak failed after {watch.Elapsed.TotalSeconds:F0} s; replay with seed {Seed}");
            throw;
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
