using System.Diagnostics;
using System.Text;

namespace Wallet.Benchmarks.Linkage;

/// <summary>One pilot run as a child process (samples/PortableBenefits.Demo, built with the benchmarks in the same configuration).</summary>
internal static class PilotRun
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

        string path = root is null ? "" : Path.Combine(root.FullName, "samples", "PortableBenefits.Demo", "bin", configuration, framework, "PortableBenefits.Demo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The pilot is not built at {path}: build benchmarks/Wallet.Benchmarks, which builds it.", path);
    }

    /// <summary>Runs the pilot to its end; returns its exit code and its output.</summary>
    public static (int ExitCode, string Output) Run(TimeSpan timeout, params string[] args)
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
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            return (-1, $"the pilot did not finish within {timeout.TotalMinutes:F0} minutes");
        }

        process.WaitForExit();
        lock (text)
        {
            return (process.ExitCode, text.ToString());
        }
    }
}
