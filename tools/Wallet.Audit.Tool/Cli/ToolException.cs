namespace Wallet.Audit.Tool.Cli;

/// <summary>An expected failure of a command: its message is printed as is (no stack trace) and it ends with its exit code.</summary>
internal sealed class ToolException : Exception
{
    public ToolException(int exitCode, string message, Exception? inner = null)
        : base(message, inner) => ExitCode = exitCode;

    public ToolException()
    {
    }

    public ToolException(string message)
        : base(message)
    {
    }

    public ToolException(string message, Exception innerException)
        : base(message, innerException)
    {
    }

    /// <summary>The exit code the command ends with (<see cref="ExitCodes"/>).</summary>
    public int ExitCode { get; } = ExitCodes.AuditFailure;
}
