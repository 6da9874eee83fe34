using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>The samples as shipped: Scheme.Server started as its own process, the pilot driving it over HTTP from another.</summary>
public sealed class SchemeServerProcessTests
{
    [Fact]
    public async Task PilotAgainstASeparatelyStartedSchemeServerEndsAuditOk()
    {
        string data = Directory.CreateTempSubdirectory("walletcore-operator-").FullName;
        int port = FreePort();
        using var server = Start(Sample("Scheme.Server"), "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--in-memory");
        var serverOutput = Collect(server);
        try
        {
            await WaitUntilListeningAsync(port, server);
            Assert.True(File.Exists(Path.Combine(data, "operator.key")));
            if (!OperatingSystem.IsWindows())
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(data, "operator.key")));
            }

            string key = (await File.ReadAllTextAsync(Path.Combine(data, "operator.key"))).Trim();
            using var demo = Start(Sample("PortableBenefits.Demo"), "--workers", "20", "--epochs", "1", "--scheme-url", $"http://127.0.0.1:{port}", "--operator-key-file", Path.Combine(data, "operator.key"));
            var demoOutput = Collect(demo);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
            await demo.WaitForExitAsync(timeout.Token);
            string output = demoOutput.ToString();
            Assert.True(demo.ExitCode == 0, output);
            Assert.Contains("AUDIT OK", output, StringComparison.Ordinal);
            Assert.Contains($"scheme server at http://127.0.0.1:{port}/", output, StringComparison.Ordinal);
            Assert.DoesNotContain(key, output + serverOutput, StringComparison.Ordinal);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            Directory.Delete(data, recursive: true);
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The samples are built with this project (ProjectReference without the assembly), in the same configuration.
    private static string Sample(string name)
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name;
        string configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WalletCore.sln")))
        {
            root = root.Parent;
        }

        string path = Path.Combine(root!.FullName, "samples", name, "bin", configuration, framework, name + ".dll");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first.");
        return path;
    }

    private static Process Start(string dll, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info)!;
    }

    private static System.Text.StringBuilder Collect(Process process)
    {
        var text = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) =>
        {
            lock (text)
            {
                text.AppendLine(e.Data);
            }
        };
        process.ErrorDataReceived += (_, e) =>
        {
            lock (text)
            {
                text.AppendLine(e.Data);
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return text;
    }

    private static async Task WaitUntilListeningAsync(int port, Process server)
    {
        using var http = new HttpClient();
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(30))
        {
            Assert.False(server.HasExited, "Scheme.Server exited early.");
            try
            {
                using var response = await http.GetAsync(new Uri($"http://127.0.0.1:{port}/pb1/keysets"));
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(100);
        }

        Assert.Fail("Scheme.Server did not start listening within 30 s.");
    }
}
