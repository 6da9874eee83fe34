using System.Diagnostics;
using System.Security.Cryptography;
using Microsoft.Data.Sqlite;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Storage.Sqlite.Providers;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Providers;

/// <summary>
/// Kills a real child process that drives a real SQLite provider store (the crash worker's <c>provider</c> mode) with
/// SIGKILL at random moments, reopens the file, and checks that every acknowledged write survived, that no payment is in
/// two states or half written, and that a deposit left in flight comes back with the same bytes and gets settled.
/// </summary>
/// <remarks>As for the ledger (SqliteLedgerCrashTests): SIGKILL proves atomicity and recovery, not durability against power loss.</remarks>
public sealed class SqliteProviderStoreCrashTests : IDisposable
{
    private const int Rounds = 5;
    private readonly TempDatabase _temp = new();

    public void Dispose() => _temp.Dispose();

    [Fact]
    public async Task KilledProviderLosesNoAcknowledgedWriteAndLeavesNothingHalfWritten()
    {
        string database = _temp.File("provider.db");
        var expected = new Dictionary<string, ProviderPaymentStatus>(StringComparer.Ordinal);
        int settled = 0;
        for (int round = 0; round < Rounds; round++)
        {
            // Killed at a random moment after the round's first settled payment, however slow the machine.
            var acks = await RunAndKillAsync(database, TimeSpan.FromMilliseconds(RandomNumberGenerator.GetInt32(0, 1200)));
            (string Hash, string[] Payments)? inFlight = null;
            foreach (string[] ack in acks)
            {
                switch (ack[1])
                {
                    case "open" or "verified" or "paid" or "rejected":
                        expected[ack[2]] = ack[1] switch
                        {
                            "open" => ProviderPaymentStatus.Open,
                            "verified" => ProviderPaymentStatus.Verified,
                            "paid" => ProviderPaymentStatus.Paid,
                            _ => ProviderPaymentStatus.Rejected,
                        };
                        settled += ack[1] is "paid" or "rejected" ? 1 : 0;
                        break;
                    case "inflight" or "resumed":
                        inFlight = (ack[3], ack[4].Split(','));
                        break;
                    case "cleared":
                        inFlight = null;
                        break;
                }
            }

            await CheckAsync(database, expected, inFlight);
        }

        Assert.True(settled >= Rounds, $"only {settled} payments were settled before the kills");
    }

    private static async Task CheckAsync(string database, Dictionary<string, ProviderPaymentStatus> expected, (string Hash, string[] Payments)? inFlight)
    {
        using (var store = SqliteProviderStore.Open(database))
        {
            foreach (var (payment, status) in expected)
            {
                var state = await store.GetPaymentStateAsync(PaymentId.Parse(payment), CancellationToken.None);

                // An acknowledged state stays, or moves forward (a verify or settlement that was not acknowledged yet).
                Assert.True(state.Status >= status, $"payment {payment} acknowledged {status} reads {state.Status}");
                Assert.True(status < ProviderPaymentStatus.Paid || state.Status == status, $"settled payment {payment} changed to {state.Status}");
            }

            // A deposit acknowledged in flight whose settlement was not acknowledged is either still in flight, byte for
            // byte, or settled: the kill fell after the settling write and before its acknowledgement. Settling ends the
            // deposit in the same write, so then every one of its payments reads paid or rejected.
            if (inFlight is { } acknowledged)
            {
                var deposit = await store.GetInFlightDepositAsync(CancellationToken.None);
                if (deposit is not null)
                {
                    Assert.Equal(acknowledged.Hash, Convert.ToHexStringLower(SHA256.HashData(deposit.Encode())));
                }
                else
                {
                    foreach (string payment in acknowledged.Payments)
                    {
                        var state = await store.GetPaymentStateAsync(PaymentId.Parse(payment), CancellationToken.None);
                        Assert.True(state.Status >= ProviderPaymentStatus.Paid, $"the acknowledged deposit in flight was lost: its payment {payment} reads {state.Status}");
                    }
                }
            }
        }

        using var connection = new SqliteConnection($"Data Source={database};Mode=ReadOnly;Pooling=False");
        connection.Open();
        Assert.Equal(0L, Count(connection, "SELECT count(*) FROM (SELECT payment FROM open_requests UNION ALL SELECT payment FROM verified UNION ALL SELECT payment FROM settled) GROUP BY payment HAVING count(*) > 1"));
        Assert.Equal(0L, Count(connection, "SELECT count(*) FROM verified v WHERE (SELECT count(*) FROM verified_spends s WHERE s.payment = v.payment) <> 2"));
        Assert.Equal(0L, Count(connection, "SELECT count(*) FROM verified_spends s WHERE NOT EXISTS (SELECT 1 FROM verified v WHERE v.payment = s.payment)"));
        Assert.Equal(0L, Count(connection, "SELECT count(*) FROM settled WHERE outcome IS NOT NULL AND (SELECT count(*) FROM settled_proofs p WHERE p.payment = settled.payment) <> 1"));
        Assert.True(Count(connection, "SELECT count(*) FROM in_flight") <= 1);
    }

    private static long Count(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar() is long n ? n : 0;
    }

    private static async Task<List<string[]>> RunAndKillAsync(string database, TimeSpan killAfter)
    {
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(WorkerPath());
        start.ArgumentList.Add("provider");
        start.ArgumentList.Add(database);
        var acks = new List<string[]>();
        var ready = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var firstSettled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data == "ready")
            {
                ready.TrySetResult();
            }
            else if (e.Data?.StartsWith("ack ", StringComparison.Ordinal) == true)
            {
                string[] ack = e.Data.Split(' ');
                lock (acks)
                {
                    acks.Add(ack);
                }

                if (ack.Length > 1 && ack[1] is "paid" or "rejected")
                {
                    firstSettled.TrySetResult();
                }
            }
        };
        process.Start();
        process.BeginOutputReadLine();
        try
        {
            await ready.Task.WaitAsync(TimeSpan.FromSeconds(60));
            await Task.WhenAny(firstSettled.Task, process.WaitForExitAsync()).WaitAsync(TimeSpan.FromSeconds(120));
            await Task.Delay(killAfter);
        }
        finally
        {
            // Process.Kill is SIGKILL on Unix: no finalisers, no rollback, no flush.
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            await process.WaitForExitAsync();
        }

        lock (acks)
        {
            return [.. acks];
        }
    }

    private static string WorkerPath()
    {
        // tests/Wallet.Storage.Sqlite.Tests/bin/<Configuration>/<tfm>/ -> tests/Wallet.Storage.Sqlite.CrashWorker/bin/<Configuration>/<tfm>/
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string path = Path.Combine(output.Parent!.Parent!.Parent!.Parent!.FullName, "Wallet.Storage.Sqlite.CrashWorker", "bin", output.Parent.Name, output.Name, "Wallet.Storage.Sqlite.CrashWorker.dll");
        Assert.True(File.Exists(path), $"crash worker not built at {path}");
        return path;
    }
}
