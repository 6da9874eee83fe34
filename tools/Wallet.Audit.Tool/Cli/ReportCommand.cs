using System.CommandLine;
using System.Text;
using Wallet.Audit.Tool.Report;
using Wallet.Audit.Tool.Verify;

namespace Wallet.Audit.Tool.Cli;

/// <summary><c>report &lt;dir&gt; --html &lt;out&gt;</c>: the self-contained HTML report of the mirror and every check.</summary>
internal static class ReportCommand
{
    private static readonly Argument<DirectoryInfo> Dir = new("dir") { Description = "The mirror's directory." };
    private static readonly Option<FileInfo> Output = new("--html") { Description = "The HTML file to write.", Required = true };

    public static Command Create(ToolContext context)
    {
        var command = new Command("report", "Write one self-contained HTML page (inline style and SVG, no script, no network) with keysets, activity, anonymity sets, value flows, checkpoints, witnesses and every check. Exits 0 once written; the verdict is in the page.") { Dir, Output };
        command.SetAction((result, _) => context.GuardAsync(() => Task.FromResult(Run(context, result.GetValue(Dir)!.FullName, result.GetValue(Output)!.FullName))));
        return command;
    }

    public static int Run(ToolContext context, string directory, string output)
    {
        MirrorSnapshot mirror = MirrorSnapshot.Read(directory);
        VerifyOutcome outcome = MirrorVerifier.Run(mirror);
        ReportModel model = ReportBuilder.Build(mirror, outcome, context.Time.GetUtcNow());
        string? parent = Path.GetDirectoryName(output);
        if (!string.IsNullOrEmpty(parent))
        {
            Directory.CreateDirectory(parent);
        }

        File.WriteAllText(output, HtmlReport.Render(model), new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
        context.Console.Out.WriteLine($"report: wrote {output} ({(model.Passed ? "pass" : "fail")}: {model.Checks.Count(c => !c.Passed)} of {model.Checks.Count} checks failed)");
        return ExitCodes.Ok;
    }
}
