using System.CommandLine;

namespace Wallet.Audit.Tool.Cli;

/// <summary><c>watch &lt;scheme-url&gt; &lt;dir&gt;</c>: sync then verify, every interval, until Ctrl+C.</summary>
internal static class WatchCommand
{
    private static readonly Argument<string> Url = new("scheme-url") { Description = "The scheme's PB/1 URL." };
    private static readonly Argument<DirectoryInfo> Dir = new("dir") { Description = "The mirror's directory; it must have been synced once with its trust anchors." };
    private static readonly Option<int> Interval = new("--interval") { Description = "Seconds between rounds (default 60).", DefaultValueFactory = _ => 60 };

    public static Command Create(ToolContext context)
    {
        var command = new Command("watch", "Sync and verify every --interval seconds until Ctrl+C; exits with the last round's code.") { Url, Dir, Interval };
        command.SetAction((result, cancellationToken) => context.RunAsync(() => RunAsync(context, SchemeUrl.Parse(result.GetValue(Url)!), result.GetValue(Dir)!.FullName, result.GetValue(Interval), cancellationToken)));
        return command;
    }

    public static async Task<int> RunAsync(ToolContext context, Uri url, string directory, int interval, CancellationToken cancellationToken)
    {
        if (interval < 1)
        {
            throw new ToolException(ExitCodes.Usage, "--interval is at least 1 second.");
        }

        int last = ExitCodes.Ok;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await context.Console.Out.WriteLineAsync($"watch: round at {context.Time.GetUtcNow():u}").ConfigureAwait(false);
                int synced = await context.GuardAsync(() => SyncCommand.RunAsync(context, url, directory, new AnchorOptions(null, null, [], null), SyncCommand.DefaultQuorumWait, cancellationToken)).ConfigureAwait(false);
                if (synced == ExitCodes.Usage)
                {
                    return synced;
                }

                // A network failure leaves the mirror as it was, which is still worth verifying.
                int verified = await context.GuardAsync(() => Task.FromResult(VerifyCommand.Run(context, directory))).ConfigureAwait(false);
                last = synced != ExitCodes.Ok ? synced : verified;
                await Task.Delay(TimeSpan.FromSeconds(interval), context.Time, cancellationToken).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: the round in progress was abandoned before it stored anything, so stopping here is clean.
        }

        await context.Console.Out.WriteLineAsync("watch: stopped").ConfigureAwait(false);
        return last;
    }
}
