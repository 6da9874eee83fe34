using System.Diagnostics;
using System.Globalization;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.CrashWorker;

/// <summary>
/// A deterministic kill point: the worker kills itself with SIGKILL at <see cref="Step"/> of its
/// <see cref="Count"/>-th write transaction (or before its <see cref="Count"/>-th operation for
/// <c>mid-batch</c>), so the crash test can hit the moments a random kill rarely lands on.
/// </summary>
internal sealed class CrashPoint(string? step, int count)
{
    /// <summary>Names the step: <c>after-append</c> (entry written, not committed), <c>after-commit</c> (committed, not acknowledged) or <c>mid-batch</c> (between two operations of one batch).</summary>
    public const string StepVariable = "WALLET_LEDGER_CRASH_AT";

    /// <summary>Which write (1-based) or operation the step applies to.</summary>
    public const string CountVariable = "WALLET_LEDGER_CRASH_ON";

    private int _writes;
    private int _operations;

    public string? Step { get; } = step;

    public int Count { get; } = count;

    public static CrashPoint FromEnvironment()
    {
        string? step = Environment.GetEnvironmentVariable(StepVariable);
        int count = int.TryParse(Environment.GetEnvironmentVariable(CountVariable), NumberStyles.None, CultureInfo.InvariantCulture, out int n) ? n : 1;
        return step is null or FaultInjectingLedgerStore.AfterAppendStep or FaultInjectingLedgerStore.AfterCommitStep or "mid-batch"
            ? new CrashPoint(step, count)
            : throw new ArgumentException($"unknown crash step '{step}'");
    }

    public void BeforeOperation()
    {
        if (Step == "mid-batch" && ++_operations == Count)
        {
            Kill();
        }
    }

    /// <summary>The <see cref="FaultInjectingLedgerStore.OnStep"/> hook: counts writes and kills at the named step of the chosen one.</summary>
    public void At(string step)
    {
        if (step == FaultInjectingLedgerStore.BeginWriteStep)
        {
            _writes++;
        }
        else if (Step == step && _writes == Count)
        {
            Kill();
        }
    }

    private static void Kill()
    {
        Console.Out.Flush();

        // SIGKILL on Unix: no finally blocks, no rollback, no disposal; SQLite's files are left as they are.
        Process.GetCurrentProcess().Kill();
        Thread.Sleep(Timeout.Infinite);
    }
}
