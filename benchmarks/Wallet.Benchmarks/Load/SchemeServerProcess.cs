using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// samples/Scheme.Server as a child process on a fresh data directory (SQLite files, sealed keys), on a free loopback
/// port, with the system clock: the server of the mixed-load benchmark, measured as its own process (its CPU time is
/// read from the operating system, apart from the load generator's). With <c>--postgres</c>, further nodes of the same
/// scheme start on the first node's data directory (<see cref="StartNode"/>), which holds only the key files.
/// </summary>
internal sealed class SchemeServerProcess : IDisposable
{
    private readonly Process _process;

    private readonly bool _ownsData;

    private SchemeServerProcess(Process process, string data, bool ownsData, Uri root)
    {
        _process = process;
        _ownsData = ownsData;
        DataDirectory = data;
        Root = root;
    }

    /// <summary>The server's data directory (its operator and accreditation keys are files in it).</summary>
    public string DataDirectory { get; }

    /// <summary>The server's root URL, e.g. http://127.0.0.1:5123/.</summary>
    public Uri Root { get; }

    /// <summary>The CPU time the server process has used so far.</summary>
    public TimeSpan CpuTime
    {
        get
        {
            _process.Refresh();
            return _process.TotalProcessorTime;
        }
    }

    /// <summary>Starts the built server on a fresh data directory, deleted on disposal, and waits until it answers.</summary>
    public static SchemeServerProcess Start(string baseDirectory, params string[] extraArguments) =>
        Start(baseDirectory, Directory.CreateTempSubdirectory("walletcore-mixed-load-").FullName, ownsData: true, extraArguments);

    /// <summary>
    /// Starts another node of <paramref name="first"/>'s scheme: the same data directory (its key files), its own port,
    /// and <paramref name="extraArguments"/> (which should name the same <c>--postgres</c> database). The directory stays
    /// the first node's to delete.
    /// </summary>
    public static SchemeServerProcess StartNode(string baseDirectory, SchemeServerProcess first, params string[] extraArguments)
    {
        ArgumentNullException.ThrowIfNull(first);
        return Start(baseDirectory, first.DataDirectory, ownsData: false, extraArguments);
    }

    private static SchemeServerProcess Start(string baseDirectory, string data, bool ownsData, string[] extraArguments)
    {
        string dll = FindBuiltServer(baseDirectory);
        int port = FreePort();
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (string argument in (string[])[dll, "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--system-clock", "--withdrawals-per-minute", "1000000", .. extraArguments])
        {
            info.ArgumentList.Add(argument);
        }

        info.Environment["Logging__LogLevel__Default"] = "Warning";
        var process = Process.Start(info) ?? throw new InvalidOperationException("Scheme.Server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, e) =>
        {
            if (e.Data is not null)
            {
                Console.Error.WriteLine($"# scheme server: {e.Data}");
            }
        };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        var server = new SchemeServerProcess(process, data, ownsData, new Uri($"http://127.0.0.1:{port}/"));
        try
        {
            server.WaitUntilReady();
            return server;
        }
        catch
        {
            server.Dispose();
            throw;
        }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(10_000);
            }
        }
        finally
        {
            _process.Dispose();
            if (_ownsData)
            {
                Directory.Delete(DataDirectory, recursive: true);
            }
        }
    }

    private void WaitUntilReady()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"Scheme.Server exited with code {_process.ExitCode} before it answered.");
            }

            try
            {
                if (http.GetAsync(new Uri(Root, "pb1/log/tree-head")).GetAwaiter().GetResult().StatusCode == HttpStatusCode.OK)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (TaskCanceledException)
            {
            }

            Thread.Sleep(200);
        }

        throw new TimeoutException("Scheme.Server did not answer within 90 s.");
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static string FindBuiltServer(string baseDirectory)
    {
        var output = new DirectoryInfo(baseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name;
        string configuration = output.Parent?.Name ?? string.Empty;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WalletCore.sln")))
        {
            root = root.Parent;
        }

        string path = root is null ? string.Empty : Path.Combine(root.FullName, "samples", "Scheme.Server", "bin", configuration, framework, "Scheme.Server.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"Scheme.Server is not built at '{path}'.", path);
    }
}
