using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>Starting the samples as child processes: their build output, a free loopback port, their output, readiness.</summary>
internal static class SampleProcesses
{
    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    // The samples are built with this project (ProjectReference without the assembly), in the same configuration.
    public static string Sample(string name)
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

    public static Process Start(string dll, params string[] args) => Start(dll, new Dictionary<string, string>(), args);

    public static Process Start(string dll, IReadOnlyDictionary<string, string> environment, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(dll);
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return Process.Start(info)!;
    }

    public static System.Text.StringBuilder Collect(Process process)
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

    public static async Task WaitUntilListeningAsync(int port, Process server)
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
