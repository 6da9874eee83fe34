namespace Wallet.Audit.Tool.Cli;

/// <summary>Where a command writes: results to <see cref="Out"/>, errors and progress to <see cref="Error"/>.</summary>
/// <param name="Out">Standard output.</param>
/// <param name="Error">Standard error.</param>
/// <param name="ErrorIsTerminal">Whether standard error is a terminal (a progress bar is drawn only then).</param>
internal sealed record ToolConsole(TextWriter Out, TextWriter Error, bool ErrorIsTerminal)
{
    /// <summary>The process's console.</summary>
    public static ToolConsole System => new(Console.Out, Console.Error, !Console.IsErrorRedirected);
}
