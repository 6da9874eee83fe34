using System.Diagnostics;
using System.Globalization;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// One samples/Scheme.Server on a data directory and a key-encryption key file kept outside it, restarted on both after
/// every kill: SQLite files in the directory by default, or, with <c>--postgres</c> among the extra arguments, every
/// store in one PostgreSQL database (the directory then holds only the sample's key files, so several children over one
/// root are the nodes of one scheme). <see cref="WaitUpAsync"/> is what a client waits on before it retries.
/// </summary>
internal sealed class SchemeServerChild : IAsyncDisposable
{
    private const string CrashVariable = "WALLETCORE_CRASH_AT";

    private readonly System.Text.StringBuilder _output = new();
    private TaskCompletionSource _up = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;
    private readonly string[] _extraArguments;
    private System.Text.StringBuilder? _current;

    public SchemeServerChild(string root, params string[] extraArguments)
    {
        Data = Path.Combine(root, "data");
        KekFile = Path.Combine(root, "keysets.kek");
        Port = FreePort();
        _extraArguments = extraArguments;
    }

    public string Data { get; }

    public string KekFile { get; }

    public int Port { get; }

    public Uri Root => new($"http://127.0.0.1:{Port.ToString(CultureInfo.InvariantCulture)}/");

    /// <summary>How many times the server was started.</summary>
    public int Starts { get; private set; }

    /// <summary>Every line every generation wrote, each generation headed by its start.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString() + (_current is null ? "" : Snapshot(_current));
            }
        }
    }

    /// <summary>Completes once the current generation listens; a fresh, pending task from the moment it is killed.</summary>
    public Task WaitUpAsync() => Volatile.Read(ref _up).Task;

    /// <summary>Starts a generation on the same data directory and key file, optionally armed to crash itself at a named point.</summary>
    public async Task StartAsync(string? crashAt = null)
    {
        Assert.Null(_process);
        var environment = new Dictionary<string, string>();
        if (crashAt is not null)
        {
            environment[CrashVariable] = crashAt;
        }

        Starts++;
        // The soak drives withdrawals as fast as the machine allows; the sample's per-account rate limit is not what it measures.
        _process = Start(Sample("Scheme.Server"), environment, ["--data", Data, "--port", Port.ToString(CultureInfo.InvariantCulture), "--kek-file", KekFile, "--withdrawals-per-minute", "0", .. _extraArguments]);
        _current = Collect(_process);
        await WaitUntilListeningAsync(Port, _process);
        Volatile.Read(ref _up).TrySetResult();
    }

    /// <summary>SIGKILL at a moment of the test's choosing.</summary>
    public async Task KillAsync()
    {
        var process = _process!;
        Volatile.Write(ref _up, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
        Retire();
    }

    /// <summary>Waits for an armed generation to kill itself; false when it is still running after <paramref name="limit"/> (a hang guard, not a timing claim).</summary>
    public async Task<(bool Crashed, int ExitCode, string Output)> WaitForCrashAsync(TimeSpan limit)
    {
        var process = _process!;
        using var timeout = new CancellationTokenSource(limit);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return (false, 0, Snapshot(_current!));
        }

        Volatile.Write(ref _up, new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
        string output = Snapshot(_current!);
        int exitCode = process.ExitCode;
        Retire();
        return (true, exitCode, output);
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await KillAsync();
        }
    }

    private static string Snapshot(System.Text.StringBuilder text)
    {
        lock (text)
        {
            return text.ToString();
        }
    }

    private void Retire()
    {
        lock (_output)
        {
            _output.Append(CultureInfo.InvariantCulture, $"--- generation {Starts} ---\n").Append(Snapshot(_current!));
            _current = null;
        }

        _process!.Dispose();
        _process = null;
    }
}
