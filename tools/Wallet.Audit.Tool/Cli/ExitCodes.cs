namespace Wallet.Audit.Tool.Cli;

/// <summary>The tool's exit codes (README.md, "Exit codes").</summary>
internal static class ExitCodes
{
    /// <summary>Every check passed (sync: the mirror is consistent and up to date; report: the page was written).</summary>
    public const int Ok = 0;

    /// <summary>An audit failure: a fork (split view), a bad signature, a root or proof that does not verify, a tampered mirror.</summary>
    public const int AuditFailure = 1;

    /// <summary>A usage error: bad arguments, missing or mismatched trust anchors, a directory that holds no mirror.</summary>
    public const int Usage = 2;

    /// <summary>The scheme could not be reached, timed out or answered with an HTTP error status.</summary>
    public const int Network = 3;

    /// <summary>The scheme answered with bytes that are not a note, tile, bundle, entry or proof.</summary>
    public const int Malformed = 4;
}
