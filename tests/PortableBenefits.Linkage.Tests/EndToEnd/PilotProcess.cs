using System.Diagnostics;
using System.Text;

namespace PortableBenefits.Linkage.Tests.EndToEnd;

/// <summary>Runs the pilot (samples/PortableBenefits.Demo, built with this project in the same configuration) as a child process.</summary>
internal static class PilotProcess
{
    public static string Dll()
    {
        var output = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name;
        string configuration = output.Parent!.Name;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WalletCore.sln")))
        {
            root = root.Parent;
        }

        string path = Path.Combine(root!.FullName, "samples", "PortableBenefits.Demo", "bin", configuration, framework, "PortableBenefits.Demo.dll");
        Assert.True(File.Exists(path), $"{path} is missing: build the solution first.");
        return path;
    }

    /// <summary>Runs the pilot to its end and returns its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(TimeSpan timeout, params string[] args)
    {
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(Dll());
        foreach (string arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var text = new StringBuilder();
        void Append(object sender, DataReceivedEventArgs e)
        {
            lock (text)
            {
                text.AppendLine(e.Data);
            }
        }

        process.OutputDataReceived += Append;
        process.ErrorDataReceived += Append;
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        lock (text)
        {
            return (process.ExitCode, text.ToString());
        }
    }
}
