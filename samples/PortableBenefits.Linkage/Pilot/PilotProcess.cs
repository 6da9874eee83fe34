using System.Diagnostics;
using System.Text;

namespace PortableBenefits.Linkage.Pilot;

/// <summary>
/// Runs the pilot (samples/PortableBenefits.Demo) as a child process, so that a researcher's harness, the linkage
/// benchmark and the end-to-end test produce the stored data and the ground truth the attack reads.
/// </summary>
public static class PilotProcess
{
    /// <summary>
    /// Finds the pilot's built assembly for a program running from a build output directory of this repository: the
    /// same configuration and target framework, under samples/PortableBenefits.Demo/bin.
    /// </summary>
    /// <param name="baseDirectory">The calling program's output directory (<see cref="AppContext.BaseDirectory"/>).</param>
    /// <returns>The path of PortableBenefits.Demo.dll.</returns>
    /// <exception cref="ArgumentException"><paramref name="baseDirectory"/> is null or empty.</exception>
    /// <exception cref="FileNotFoundException">The pilot is not built there (build the solution first).</exception>
    public static string FindBuiltPilot(string baseDirectory)
    {
        ArgumentException.ThrowIfNullOrEmpty(baseDirectory);
        var output = new DirectoryInfo(baseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        string framework = output.Name;
        string configuration = output.Parent?.Name ?? string.Empty;
        var root = output;
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "WalletCore.sln")))
        {
            root = root.Parent;
        }

        string path = root is null ? string.Empty : Path.Combine(root.FullName, "samples", "PortableBenefits.Demo", "bin", configuration, framework, "PortableBenefits.Demo.dll");
        return File.Exists(path) ? path : throw new FileNotFoundException($"The pilot is not built at '{path}': build the solution first.", path);
    }

    /// <summary>Runs the pilot to its end with <paramref name="args"/> and returns its exit code and everything it printed.</summary>
    /// <param name="pilotDll">The pilot's assembly (<see cref="FindBuiltPilot"/>).</param>
    /// <param name="timeout">How long it may run; past it the process tree is killed and the exit code is -1.</param>
    /// <param name="args">The pilot's command line (for example <c>--workers 300 --ground-truth FILE</c>).</param>
    /// <returns>The exit code and the interleaved standard output and error.</returns>
    /// <exception cref="ArgumentException"><paramref name="pilotDll"/> is null or empty.</exception>
    /// <exception cref="ArgumentNullException"><paramref name="args"/> is null.</exception>
    public static async Task<(int ExitCode, string Output)> RunAsync(string pilotDll, TimeSpan timeout, params string[] args)
    {
        ArgumentException.ThrowIfNullOrEmpty(pilotDll);
        ArgumentNullException.ThrowIfNull(args);
        var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        info.ArgumentList.Add(pilotDll);
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
            await process.WaitForExitAsync(cancel.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
            return (-1, $"the pilot did not finish within {timeout.TotalMinutes:F0} minutes");
        }

        lock (text)
        {
            return (process.ExitCode, text.ToString());
        }
    }
}
