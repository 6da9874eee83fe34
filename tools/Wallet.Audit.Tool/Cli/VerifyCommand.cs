using System.CommandLine;
using Wallet.Audit.Tool.Verify;

namespace Wallet.Audit.Tool.Cli;

/// <summary><c>verify &lt;dir&gt;</c>: every check over the mirror, one line each, non-zero on any failure.</summary>
internal static class VerifyCommand
{
    private static readonly Argument<DirectoryInfo> Dir = new("dir") { Description = "The mirror's directory." };

    public static Command Create(ToolContext context)
    {
        var command = new Command("verify", "Run every check over the mirror (signatures, roots, consistency, witness quorum, split views, the auditor's replay); exit 1 if any fails.") { Dir };
        command.SetAction((result, _) => context.GuardAsync(() => Task.FromResult(Run(context, result.GetValue(Dir)!.FullName))));
        return command;
    }

    public static int Run(ToolContext context, string directory)
    {
        VerifyOutcome outcome = MirrorVerifier.Run(MirrorSnapshot.Read(directory));
        TextWriter output = context.Console.Out;
        foreach (CheckResult check in outcome.Checks)
        {
            output.WriteLine($"{(check.Passed ? "PASS" : "FAIL")}  {check.Name,-32} {check.Detail}");
        }

        int failed = outcome.Checks.Count(c => !c.Passed);
        output.WriteLine($"verify: {outcome.Checks.Count} checks, {failed} failed");
        return failed == 0 ? ExitCodes.Ok : ExitCodes.AuditFailure;
    }
}
