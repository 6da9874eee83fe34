using System.Globalization;
using System.Net;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// Scheme.Server as a service: its command line (System.CommandLine) is validated before anything starts, its
/// settings come from a JSON file, the environment and the command line in that order of precedence, and it answers
/// liveness and readiness probes.
/// </summary>
public sealed class SchemeServerServiceTests
{
    [Fact]
    public async Task HelpListsTheOptionsAndAMalformedCommandLineStopsWithExitTwo()
    {
        var (helpExit, help) = await RunToEndAsync("--help");
        Assert.Equal(0, helpExit);
        Assert.Contains("--otlp-endpoint", help, StringComparison.Ordinal);
        Assert.Contains("--config", help, StringComparison.Ordinal);

        var (bogusExit, bogus) = await RunToEndAsync("--in-memory", "--no-such-option");
        Assert.Equal(2, bogusExit);
        Assert.Contains("--no-such-option", bogus, StringComparison.Ordinal);

        var (portExit, port) = await RunToEndAsync("--in-memory", "--port", "0");
        Assert.Equal(2, portExit);
        Assert.Contains("port", port, StringComparison.Ordinal);

        var (typeExit, _) = await RunToEndAsync("--in-memory", "--port", "eighty");
        Assert.Equal(2, typeExit);

        var (missingExit, missing) = await RunToEndAsync("--in-memory", "--config", "/nonexistent/scheme.json");
        Assert.Equal(2, missingExit);
        Assert.Contains("does not exist", missing, StringComparison.Ordinal);
    }

    [Fact]
    public async Task TheCommandLineOverridesTheEnvironmentWhichOverridesTheConfigFile()
    {
        string directory = Directory.CreateTempSubdirectory("walletcore-config-").FullName;
        try
        {
            int filePort = FreePort(), environmentPort = FreePort(), commandLinePort = FreePort();
            string config = Path.Combine(directory, "scheme.json");
            await File.WriteAllTextAsync(config, $$"""{ "SchemeServer": { "Port": {{filePort}}, "InMemory": true, "Data": "{{Path.Combine(directory, "data")}}" } }""");
            var environment = new Dictionary<string, string> { ["SchemeServer__Port"] = environmentPort.ToString(CultureInfo.InvariantCulture) };

            await ListensOnAsync(filePort, new Dictionary<string, string>(), "--config", config);
            await ListensOnAsync(environmentPort, environment, "--config", config);
            await ListensOnAsync(commandLinePort, environment, "--config", config, "--port", commandLinePort.ToString(CultureInfo.InvariantCulture));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    private static async Task ListensOnAsync(int port, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        using var server = Start(Sample("Scheme.Server"), environment, args);
        var output = Collect(server);
        try
        {
            await WaitUntilListeningAsync(port, server);
            using var http = new HttpClient();
            using var live = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz/live"));
            using var ready = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/healthz/ready"));
            Assert.Equal(HttpStatusCode.OK, live.StatusCode);
            Assert.Equal(HttpStatusCode.OK, ready.StatusCode);
            Assert.Equal("Healthy", await ready.Content.ReadAsStringAsync());
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
        }

        Assert.Contains($"listening         http://127.0.0.1:{port}/pb1/", output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<(int ExitCode, string Output)> RunToEndAsync(params string[] args)
    {
        using var process = Start(Sample("Scheme.Server"), args);
        var output = Collect(process);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await process.WaitForExitAsync(timeout.Token);
        return (process.ExitCode, output.ToString());
    }
}
