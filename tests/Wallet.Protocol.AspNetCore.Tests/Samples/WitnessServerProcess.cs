using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>samples/Witness.Server as a child process on a fixed loopback port, with its key and state in a directory.</summary>
internal sealed class WitnessServerProcess : IAsyncDisposable
{
    private Process? _process;

    private WitnessServerProcess(string directory, string name, string logVkey)
    {
        (Directory, Name, LogVkey) = (directory, name, logVkey);
        Port = SampleProcesses.FreePort();
    }

    public string Directory { get; }

    public string Name { get; }

    public string LogVkey { get; }

    public int Port { get; }

    public Uri Url => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>The verifier key it printed at start-up; the same across restarts (its key file is kept).</summary>
    public string Vkey { get; private set; } = string.Empty;

    public static async Task<WitnessServerProcess> StartAsync(string directory, string name, string logVkey)
    {
        var witness = new WitnessServerProcess(directory, name, logVkey);
        await witness.StartAsync();
        return witness;
    }

    /// <summary>Starts it (again) on the same port, key and state directory.</summary>
    public async Task StartAsync()
    {
        Process process = SampleProcesses.Start(
            SampleProcesses.Sample("Witness.Server"), "--urls", Url.AbsoluteUri.TrimEnd('/'), "--name", Name,
            "--key-file", Path.Combine(Directory, "witness.key"), "--state", Path.Combine(Directory, "state"), "--log", LogVkey);
        _process = process;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        string? line;
        while ((line = await process.StandardOutput.ReadLineAsync()) is not null && !line.StartsWith("vkey ", StringComparison.Ordinal))
        {
        }

        Assert.True(line is not null, "Witness.Server exited before printing its verifier key.");
        Vkey = line["vkey ".Length..];
        _ = DrainAsync(process);
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(60))
        {
            Assert.False(process.HasExited, "Witness.Server exited early.");
            using var client = new TcpClient();
            try
            {
                await client.ConnectAsync(IPAddress.Loopback, Port);
                return;
            }
            catch (SocketException)
            {
                await Task.Delay(100);
            }
        }

        Assert.Fail("Witness.Server did not listen within 60 s.");
    }

    /// <summary>Kills it, as a crash would; its state stays on disk.</summary>
    public async Task StopAsync()
    {
        if (_process is { } process)
        {
            _process = null;
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
            process.Dispose();
        }
    }

    public ValueTask DisposeAsync() => new(StopAsync());

    private static async Task DrainAsync(Process process)
    {
        try
        {
            while (await process.StandardOutput.ReadLineAsync() is not null)
            {
            }
        }
        catch (InvalidOperationException)
        {
            // The process was disposed.
        }
    }
}
