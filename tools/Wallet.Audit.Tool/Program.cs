using System.Runtime.InteropServices;
using Wallet.Audit.Tool.Cli;

namespace Wallet.Audit.Tool;

/// <summary>The <c>walletcore-audit</c> entry point.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        // Ctrl+C and SIGTERM cancel the command's token instead of ending the process, so watch stops between
        // rounds (or abandons a round before it stores anything) and says so.
        using var stop = new CancellationTokenSource();
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            stop.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            stop.Cancel();
        });
        try
        {
            return await AuditCommandLine.InvokeAsync(args, ToolContext.Default, stop.Token).ConfigureAwait(false);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
