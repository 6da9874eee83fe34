using Wallet.Audit.Tool.Cli;

namespace Wallet.Audit.Tool;

/// <summary>The <c>walletcore-audit</c> entry point.</summary>
internal static class Program
{
    private static Task<int> Main(string[] args) => AuditCommandLine.InvokeAsync(args, ToolContext.Default);
}
