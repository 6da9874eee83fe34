using Wallet.Audit.Tool.Cli;

namespace Wallet.Audit.Tool.Tests;

/// <summary>One run of walletcore-audit through its command line, in process, with its output captured.</summary>
public sealed record ToolRun(int ExitCode, string Out, string Error)
{
    /// <summary>Every request path the tool sent in this run.</summary>
    public List<string> Requests { get; } = [];

    public static async Task<ToolRun> RunAsync(params string[] args) => await RunAsync(CancellationToken.None, null, args);

    public static async Task<ToolRun> RunAsync(CancellationToken cancellationToken, TextWriter? output, params string[] args)
    {
        var requests = new List<string>();
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        var context = new ToolContext(new ToolConsole(output ?? stdout, stderr, ErrorIsTerminal: false), TimeProvider.System, () => new HttpClient(new RecordingHandler(requests)) { Timeout = TimeSpan.FromSeconds(60) });
        int code = await AuditCommandLine.InvokeAsync(args, context, cancellationToken);
        var run = new ToolRun(code, output is null ? stdout.ToString() : output.ToString()!, stderr.ToString());
        run.Requests.AddRange(requests);
        return run;
    }

    public override string ToString() => $"exit {ExitCode}\nstdout:\n{Out}\nstderr:\n{Error}";

    private sealed class RecordingHandler(List<string> requests) : DelegatingHandler(new SocketsHttpHandler())
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            lock (requests)
            {
                requests.Add(request.RequestUri!.PathAndQuery);
            }

            return base.SendAsync(request, cancellationToken);
        }
    }
}
