using System.CommandLine;

namespace Wallet.Audit.Tool.Cli;

/// <summary>The <c>walletcore-audit</c> command line: sync, verify, watch and report (README.md).</summary>
internal static class AuditCommandLine
{
    /// <summary>Parses and runs one command line; returns its exit code (<see cref="ExitCodes"/>).</summary>
    public static async Task<int> InvokeAsync(string[] args, ToolContext context, CancellationToken cancellationToken = default)
    {
        var root = new RootCommand("walletcore-audit: mirror a WalletCore scheme's transparency log, check it, and report on it.")
        {
            SyncCommand.Create(context),
            VerifyCommand.Create(context),
            WatchCommand.Create(context),
            ReportCommand.Create(context),
        };
        ParseResult result = root.Parse(args);
        if (result.Errors.Count > 0)
        {
            foreach (var error in result.Errors)
            {
                await context.Console.Error.WriteLineAsync($"walletcore-audit: {error.Message}").ConfigureAwait(false);
            }

            await context.Console.Error.WriteLineAsync("Run 'walletcore-audit --help' for usage.").ConfigureAwait(false);
            return ExitCodes.Usage;
        }

        // The caller owns cancellation (Program maps Ctrl+C and SIGTERM onto the token), so commands end on their own terms.
        var configuration = new InvocationConfiguration { Output = context.Console.Out, Error = context.Console.Error, ProcessTerminationTimeout = null };
        return await result.InvokeAsync(configuration, cancellationToken).ConfigureAwait(false);
    }
}
