using System.Globalization;
using System.Security.Cryptography;
using System.Text.RegularExpressions;
using Wallet.Protocol.AspNetCore.Tests.Tiles;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>Scheme.Server as shipped serves its log as a tiled log, under its --origin or the one its URL gives.</summary>
public sealed class SchemeServerTilesTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("benefits.example.org/walletcore")]
    public async Task SchemeServerServesACheckpointItsPrintedVkeyVerifies(string? origin)
    {
        string data = Directory.CreateTempSubdirectory("walletcore-tiles-").FullName;
        int port = FreePort();
        string[] args = ["--data", data, "--port", port.ToString(CultureInfo.InvariantCulture), "--in-memory"];
        using var server = Start(Sample("Scheme.Server"), origin is null ? args : [.. args, "--origin", origin]);
        var output = Collect(server);
        try
        {
            await WaitUntilListeningAsync(port, server);
            string vkey = await PrintedVkeyAsync(output, server);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            var (served, size, root) = await new SpecTileClient(http, "pb1/").FetchCheckpointAsync(vkey);
            Assert.Equal(origin ?? $"127.0.0.1:{port}/pb1", served);
            Assert.Equal(0, size);
            Assert.Equal(SHA256.HashData([]), root);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    [Theory]
    [InlineData("https://benefits.example.org/pb1")]
    [InlineData("benefits.example.org/pb1/")]
    [InlineData("benefits+example.org")]
    public async Task SchemeServerRefusesToStartWithAnOriginAgainstTheConvention(string origin)
    {
        string data = Directory.CreateTempSubdirectory("walletcore-tiles-").FullName;
        try
        {
            using var server = Start(Sample("Scheme.Server"), "--data", data, "--port", FreePort().ToString(CultureInfo.InvariantCulture), "--in-memory", "--origin", origin);
            var output = Collect(server);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
            await server.WaitForExitAsync(timeout.Token);
            Assert.Equal(1, server.ExitCode);
            lock (output)
            {
                Assert.Contains("refusing to start: --origin", output.ToString(), StringComparison.Ordinal);
            }
        }
        finally
        {
            Directory.Delete(data, recursive: true);
        }
    }

    private static async Task<string> PrintedVkeyAsync(System.Text.StringBuilder output, System.Diagnostics.Process server)
    {
        for (int attempt = 0; attempt < 300; attempt++)
        {
            lock (output)
            {
                if (Regex.Match(output.ToString(), @"^log vkey +(\S+)$", RegexOptions.Multiline) is { Success: true } match)
                {
                    return match.Groups[1].Value;
                }
            }

            Assert.False(server.HasExited, "Scheme.Server exited early.");
            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException("Scheme.Server printed no log vkey.");
    }
}
