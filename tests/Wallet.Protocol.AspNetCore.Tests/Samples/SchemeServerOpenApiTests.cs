using System.Globalization;
using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// The OpenAPI document Scheme.Server serves (generated from its routes' metadata) is the committed
/// docs/openapi/pb1.json, so a route or media type that changes without the committed description changing fails
/// here. Regenerate deliberately: WALLETCORE_WRITE_OPENAPI=1 (docs/operations.md "OpenAPI").
/// </summary>
public sealed class SchemeServerOpenApiTests
{
    private const string WriteVariable = "WALLETCORE_WRITE_OPENAPI";

    [Fact]
    public async Task ServedDocumentIsTheCommittedOne()
    {
        string served = Normalize(await ServedAsync());
        string committed = CommittedPath();
        if (Environment.GetEnvironmentVariable(WriteVariable) == "1")
        {
            await File.WriteAllTextAsync(committed, served);
        }

        Assert.True(File.Exists(committed), $"{committed} is missing: run with {WriteVariable}=1.");
        Assert.True(served == await File.ReadAllTextAsync(committed), $"Scheme.Server's OpenAPI document differs from {committed}; if the change is deliberate, regenerate it with {WriteVariable}=1.");
    }

    [Fact]
    public async Task OpenApiFalseServesNoDocument()
    {
        string data = Directory.CreateTempSubdirectory("walletcore-openapi-").FullName;
        int port = FreePort();
        using var server = Start(Sample("Scheme.Server"), "--in-memory", "--data", data, "--port", port.ToString(CultureInfo.InvariantCulture), "--openapi", "false");
        var output = Collect(server);
        try
        {
            await WaitUntilListeningAsync(port, server);
            using var http = new HttpClient();
            using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/openapi/v1.json"));
            Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }

        Assert.Contains("openapi           off", output.ToString(), StringComparison.Ordinal);
    }

    private static async Task<string> ServedAsync()
    {
        string data = Directory.CreateTempSubdirectory("walletcore-openapi-").FullName;
        int port = FreePort();
        using var server = Start(Sample("Scheme.Server"), "--in-memory", "--data", data, "--port", port.ToString(CultureInfo.InvariantCulture));
        Collect(server);
        try
        {
            await WaitUntilListeningAsync(port, server);
            using var http = new HttpClient();
            return await http.GetStringAsync(new Uri($"http://127.0.0.1:{port}/openapi/v1.json"));
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    // Indented with two spaces and one final newline, whatever the generator's own formatting.
    private static string Normalize(string json) =>
        JsonNode.Parse(json)!.ToJsonString(new JsonSerializerOptions { WriteIndented = true, IndentSize = 2, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";

    // docs/openapi/pb1.json in the source tree, found from this source file.
    // Found from the test's output directory, not from the source path: CI builds map source paths to "/_/".
    private static string CommittedPath()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WalletCore.sln")))
        {
            root = root.Parent;
        }

        Assert.True(root is not null, "WalletCore.sln not found above the test output directory.");
        return Path.Combine(root.FullName, "docs", "openapi", "pb1.json");
    }
}
