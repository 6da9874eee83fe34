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

    [Fact]
    public async Task SchemeServerOnSqliteKeepsItsKeysetKeysSealedAcrossARestartAndRefusesToStartWithoutThem()
    {
        string root = Directory.CreateTempSubdirectory("walletcore-operator-").FullName;
        string data = Path.Combine(root, "data");
        string port = FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture);
        try
        {
            // The child inherits the umask: 022, under which a plain create would give 0755 directories and 0644 files.
            uint previous = OperatingSystem.IsWindows() ? 0 : Umask(0x12);
            Process server;
            try
            {
                server = Start(Sample("Scheme.Server"), "--data", data, "--port", port);
            }
            finally
            {
                if (!OperatingSystem.IsWindows())
                {
                    Umask(previous);
                }
            }

            var serverOutput = Collect(server);
            using (server)
            {
                await WaitUntilListeningAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), server);
                using var demo = Start(Sample("PortableBenefits.Demo"), "--workers", "20", "--epochs", "1", "--scheme-url", $"http://127.0.0.1:{port}", "--operator-key-file", Path.Combine(data, "operator.key"));
                var demoOutput = Collect(demo);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(120));
                await demo.WaitForExitAsync(timeout.Token);
                Assert.True(demo.ExitCode == 0, demoOutput.ToString());
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }

            string[] keys = Directory.GetFiles(Path.Combine(data, "keysets"), "*.key");
            Assert.NotEmpty(keys);
            if (!OperatingSystem.IsWindows())
            {
                const UnixFileMode Owner = UnixFileMode.UserRead | UnixFileMode.UserWrite;
                Assert.Equal(Owner | UnixFileMode.UserExecute, File.GetUnixFileMode(data));
                Assert.Equal(Owner | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.Combine(data, "keysets")));
                foreach (string file in Directory.GetFiles(data).Concat(keys))
                {
                    var mode = File.GetUnixFileMode(file);
                    Assert.True(mode == Owner, $"{file} is {mode}");
                }
            }

            Assert.DoesNotContain(Convert.ToHexString(await File.ReadAllBytesAsync(Path.Combine(data, "keysets.kek"))), serverOutput.ToString(), StringComparison.OrdinalIgnoreCase);

            // Same data directory: the keys load and the server starts.
            using (var restarted = Start(Sample("Scheme.Server"), "--data", data, "--port", port))
            {
                Collect(restarted);
                await WaitUntilListeningAsync(int.Parse(port, System.Globalization.CultureInfo.InvariantCulture), restarted);
                restarted.Kill(entireProcessTree: true);
                await restarted.WaitForExitAsync();
            }

            // Without the keys of keysets that can still be withdrawn from, it refuses to start.
            foreach (string key in keys)
            {
                File.Delete(key);
            }

            using var refused = Start(Sample("Scheme.Server"), "--data", data, "--port", port);
            var refusedOutput = Collect(refused);
            using (var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60)))
            {
                await refused.WaitForExitAsync(timeout.Token);
            }

            Assert.Equal(1, refused.ExitCode);
            Assert.Contains("refusing to start", refusedOutput.ToString(), StringComparison.Ordinal);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    // umask(2) always succeeds and returns the previous mask. DllImport, since LibraryImport needs unsafe code here.
#pragma warning disable SYSLIB1054
    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
#pragma warning restore SYSLIB1054

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
