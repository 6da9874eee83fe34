namespace Wallet.Audit.Tool.Cli;

/// <summary>What every command runs with: the console, the clock, and how to make the HTTP client.</summary>
internal sealed record ToolContext(ToolConsole Console, TimeProvider Time, Func<HttpClient> HttpClientFactory)
{
    /// <summary>The request timeout of the default HTTP client.</summary>
    public static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);

    /// <summary>The process's console, the system clock and a plain HTTP client.</summary>
    public static ToolContext Default => new(ToolConsole.System, TimeProvider.System, () => new HttpClient { Timeout = RequestTimeout });

    /// <summary>The exit code of a command interrupted by Ctrl+C or SIGTERM (128 + SIGINT), as shells report it.</summary>
    public const int Interrupted = 130;

    /// <summary>Runs a command as <see cref="GuardAsync"/> does; an interruption is one line too.</summary>
    public async Task<int> RunAsync(Func<Task<int>> body)
    {
        try
        {
            return await GuardAsync(body).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The interrupted step had not committed: a sync stores everything in one transaction at its end.
            await Console.Error.WriteLineAsync("walletcore-audit: interrupted; nothing of the interrupted step was stored.").ConfigureAwait(false);
            return Interrupted;
        }
    }

    /// <summary>Runs a command body: a <see cref="ToolException"/> is printed as one line and becomes its exit code.</summary>
    public async Task<int> GuardAsync(Func<Task<int>> body)
    {
        try
        {
            return await body().ConfigureAwait(false);
        }
        catch (ToolException e)
        {
            await Console.Error.WriteLineAsync($"walletcore-audit: error: {e.Message}").ConfigureAwait(false);
            return e.ExitCode;
        }
        catch (Exception e) when (e is InvalidCastException or FormatException or OverflowException)
        {
            // A value of the wrong type or shape in the mirror file: altered outside the tool.
            await Console.Error.WriteLineAsync($"walletcore-audit: error: the mirror is damaged (a stored value has the wrong type or form): {e.Message}").ConfigureAwait(false);
            return ExitCodes.AuditFailure;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or Microsoft.Data.Sqlite.SqliteException)
        {
            await Console.Error.WriteLineAsync($"walletcore-audit: error: {e.Message}").ConfigureAwait(false);
            return ExitCodes.Usage;
        }
    }
}
