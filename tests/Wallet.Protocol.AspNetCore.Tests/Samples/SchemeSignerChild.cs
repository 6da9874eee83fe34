using System.Diagnostics;
using System.Net.Sockets;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>One samples/Scheme.Signer on a key directory and key-encryption key file, restartable on both after a kill.</summary>
internal sealed class SchemeSignerChild : IAsyncDisposable
{
    private readonly System.Text.StringBuilder _output = new();
    private Process? _process;

    public SchemeSignerChild(string root)
    {
        Keys = Path.Combine(root, "signer-keys");
        KekFile = Path.Combine(root, "signer.kek");
        Socket = Path.Combine(root, "signer.sock");
    }

    public string Keys { get; }

    public string KekFile { get; }

    public string Socket { get; }

    /// <summary>Every line every generation wrote.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public async Task StartAsync()
    {
        Assert.Null(_process);
        _process = Start(Sample("Scheme.Signer"), "--socket", Socket, "--keys", Keys, "--kek-file", KekFile);
        var output = Collect(_process);
        var deadline = Stopwatch.StartNew();
        while (!await AcceptsAsync())
        {
            Assert.False(_process.HasExited, $"Scheme.Signer exited early:\n{output}");
            Assert.True(deadline.Elapsed < TimeSpan.FromSeconds(30), $"Scheme.Signer did not listen within 30 s:\n{output}");
            await Task.Delay(100);
        }

        lock (_output)
        {
            _output.Append(output);
        }
    }

    /// <summary>SIGKILL, as a crash or an operator's kill would.</summary>
    public async Task KillAsync()
    {
        var process = _process!;
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        process.Dispose();
        _process = null;
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await KillAsync();
        }
    }

    private async Task<bool> AcceptsAsync()
    {
        if (!File.Exists(Socket))
        {
            return false;
        }

        using var probe = new System.Net.Sockets.Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        try
        {
            await probe.ConnectAsync(new UnixDomainSocketEndPoint(Socket));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
