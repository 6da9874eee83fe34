using System.Diagnostics;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>Scheme.Server's periodic ledger checkpoint (docs/PROTOCOL.md 5.15), as a separate process.</summary>
public sealed class SchemeServerLedgerCheckpointTests
{
    [Fact]
    public async Task PeriodicCheckpointsAreSignedByTheSchemeAndLoggedOnlyAfterNewEntries()
    {
        string data = Directory.CreateTempSubdirectory("walletcore-ledger-checkpoint-").FullName;
        int port = FreePort();
        using var server = Start(Sample("Scheme.Server"), "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--in-memory", "--ledger-checkpoint-seconds", "1");
        var output = Collect(server);
        try
        {
            await WaitUntilListeningAsync(port, server);
            using var http = new HttpClient();
            var first = await EntryAsync(http, port, 0, server);

            // Ticks that find the log ending with a checkpoint log nothing: the keyset announced after a few of them
            // takes index 1, and the next checkpoint closes it at index 2.
            await Task.Delay(TimeSpan.FromSeconds(3));
            var schemeOperator = new HttpSchemeOperatorClient(http, new HttpSchemeOperatorClientOptions
            {
                Transport = new HttpSchemeClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/pb1/operator/") },
                OperatorKey = (await File.ReadAllTextAsync(Path.Combine(data, "operator.key"))).Trim(),
            });
            var now = DateTimeOffset.UtcNow;
            var announced = await schemeOperator.AnnounceKeysetAsync(new IdempotencyKey("keyset-1"), new KeysetParameters(1, Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, now, now.AddDays(30), now.AddDays(60), now.AddDays(90)));
            var next = await EntryAsync(http, port, 2, server);

            using var schemeKey = Ed25519SigningKey.FromSeed(await File.ReadAllBytesAsync(Path.Combine(data, "scheme.ed25519")));
            var record = Assert.IsType<LedgerCheckpointRecord>(first.LedgerCheckpoint);
            Assert.True(record.Verify(schemeKey.PublicKey));
            Assert.Equal((1UL, 0UL, 0UL), (record.Sequence, record.LogSize, record.JournalEntries));
            Assert.Equal(1UL, announced.LogIndex);
            var second = Assert.IsType<LedgerCheckpointRecord>(next.LedgerCheckpoint);
            Assert.True(second.Verify(schemeKey.PublicKey));
            Assert.Equal((2UL, 2UL), (second.Sequence, second.LogSize));
            Assert.Contains("ledger checkpoint #2 logged at index 2", output.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<LogEntry> EntryAsync(HttpClient http, int port, ulong index, Process server)
    {
        LogEntry? entry = null;
        await UntilAsync(
            async () =>
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/pb1/log/entries/{index}"));
                entry = response.IsSuccessStatusCode ? LogEntry.Decode(await response.Content.ReadAsByteArrayAsync()) : null;
                return entry is not null;
            },
            server);
        return entry!;
    }

    // Waits for an event of the server (no assertion on how long it took); gives up after a minute.
    private static async Task UntilAsync(Func<Task<bool>> done, Process server)
    {
        var limit = Stopwatch.StartNew();
        while (!await done())
        {
            Assert.False(server.HasExited, "Scheme.Server exited early.");
            Assert.True(limit.Elapsed < TimeSpan.FromMinutes(1), "The server did not get there within a minute.");
            await Task.Delay(100);
        }
    }
}
