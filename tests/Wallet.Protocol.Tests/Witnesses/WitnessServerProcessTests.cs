using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;
using static Wallet.Protocol.Tests.Witnesses.WitnessFixtures;

namespace Wallet.Protocol.Tests.Witnesses;

/// <summary>samples/Witness.Server as a real process, spoken to over HTTP in the C2SP tlog-witness protocol.</summary>
public sealed class WitnessServerProcessTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("witness-server-").FullName;
    private readonly int _port = FreePort();

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task SampleServerCosignsRefusesAndKeepsItsStateAcrossARestart()
    {
        var log = new TestLog();
        var fork = new TestLog(branch: 1, sharedPrefix: 3);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{_port}") };

        (Process server, string vkey) = await StartAsync();
        var witnessKey = new NoteVerifierSet(NoteVerifier.Parse(vkey));
        try
        {
            AddCheckpointRequest first = await log.RequestAsync(0, 5);
            using HttpResponseMessage cosigned = await PostAsync(http, first.Encode());
            Assert.Equal(HttpStatusCode.OK, cosigned.StatusCode);
            SignedNote note = AddCheckpointResponse.AppendCosignatures(first.Note, await cosigned.Content.ReadAsByteArrayAsync());
            Assert.True(witnessKey.Verify(note).IsVerified);

            using HttpResponseMessage stale = await PostAsync(http, (await log.RequestAsync(0, 8)).Encode());
            Assert.Equal(HttpStatusCode.Conflict, stale.StatusCode);
            Assert.Equal(AddCheckpointResponse.TreeSizeContentType, stale.Content.Headers.ContentType?.MediaType);
            Assert.Equal(5UL, AddCheckpointResponse.ParseTreeSize(await stale.Content.ReadAsByteArrayAsync()));

            using HttpResponseMessage malformed = await PostAsync(http, Encoding.UTF8.GetBytes("old 5\nnot base64\n\n"));
            Assert.Equal(HttpStatusCode.BadRequest, malformed.StatusCode);
        }
        finally
        {
            await StopAsync(server);
        }

        (server, string vkeyAfterRestart) = await StartAsync();
        try
        {
            Assert.Equal(vkey, vkeyAfterRestart);
            using HttpResponseMessage forked = await PostAsync(http, (await fork.RequestAsync(5, 5)).Encode());
            Assert.Equal(HttpStatusCode.Conflict, forked.StatusCode);
            using HttpResponseMessage notExtending = await PostAsync(http, (await fork.RequestAsync(5, 9)).Encode());
            Assert.Equal(HttpStatusCode.UnprocessableEntity, notExtending.StatusCode);
            using HttpResponseMessage honest = await PostAsync(http, (await log.RequestAsync(5, 9)).Encode());
            Assert.Equal(HttpStatusCode.OK, honest.StatusCode);
        }
        finally
        {
            await StopAsync(server);
        }
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, byte[] body) =>
        await http.PostAsync("/add-checkpoint", new ByteArrayContent(body));

    private async Task<(Process Server, string VerifierKey)> StartAsync()
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string arg in new[]
        {
            SamplePath(), "--urls", $"http://127.0.0.1:{_port}", "--name", "witness.example.org/w1",
            "--key-file", Path.Combine(_directory, "witness.key"), "--state", Path.Combine(_directory, "state"),
            "--log", LogSigner.Verifier.VerifierKey,
        })
        {
            info.ArgumentList.Add(arg);
        }

        Process server = Process.Start(info)!;
        server.ErrorDataReceived += (_, _) => { };
        server.BeginErrorReadLine();
        string? line;
        while ((line = await server.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith("vkey ", StringComparison.Ordinal))
        {
        }

        Assert.True(line is not null, "the witness server exited before printing its verifier key");
        while (!server.HasExited)
        {
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, _port);
                return (server, line["vkey ".Length..]);
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        throw new InvalidOperationException($"The witness server exited with code {server.ExitCode}.");
    }

    private static async Task StopAsync(Process server)
    {
        server.Kill(entireProcessTree: true);
        await server.WaitForExitAsync();
        server.Dispose();
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The sample is built with this project (ProjectReference without the assembly), in the same configuration.
    private static string SamplePath()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        DirectoryInfo? root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WalletCore.sln")))
        {
            root = root.Parent;
        }

        string path = Path.Combine(root!.FullName, "samples", "Witness.Server", "bin", output.Parent!.Name, output.Name, "Witness.Server.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build the tests first.");
        return path;
    }
}
