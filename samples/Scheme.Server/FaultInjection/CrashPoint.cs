using System.Diagnostics;
using System.Globalization;

namespace Scheme.Server.FaultInjection;

/// <summary>
/// A test seam of the sample, off unless <c>WALLETCORE_CRASH_AT=&lt;point&gt;[:&lt;nth&gt;]</c> is set: the process kills
/// itself with SIGKILL the nth time (default 1) the flows reach the named point. The crash soak
/// (tests/Wallet.Protocol.AspNetCore.Tests/Samples/SchemeServerCrashSoakTests) uses it to crash the server exactly
/// between two durable steps of a withdrawal, deposit or swap; docs/PROTOCOL.md 5.12 states what a retry must find.
/// </summary>
internal sealed class CrashPoint
{
    /// <summary>The environment variable that arms a crash point.</summary>
    public const string Variable = "WALLETCORE_CRASH_AT";

    /// <summary>Once a withdrawal, deposit or swap's ledger entry is committed.</summary>
    public const string AfterDebit = "after-debit";

    /// <summary>The ledger entry committed and the blind signatures made, before the flow's log entry is stored.</summary>
    public const string AfterSigning = "after-signing";

    /// <summary>Once a leaf is committed to the Merkle log, before the flow stores its response.</summary>
    public const string AfterLogAppend = "after-log-append";

    /// <summary>Everything durable but the stored response (withdrawal, deposit receipt, swap).</summary>
    public const string BeforeResponse = "before-response";

    private static readonly string[] Names = [AfterDebit, AfterSigning, AfterLogAppend, BeforeResponse];

    private readonly string _point;
    private readonly int _nth;
    private int _reached;
    private string _logging = "an entry";

    private CrashPoint(string point, int nth)
    {
        _point = point;
        _nth = nth;
    }

    /// <summary>The armed point, or null when the variable is not set.</summary>
    /// <exception cref="InvalidOperationException">The variable is set but names no point, or its count is not a positive integer.</exception>
    public static CrashPoint? FromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        string[] parts = value.Split(':');
        int nth = 1;
        if (parts.Length > 2 || !Names.Contains(parts[0], StringComparer.Ordinal)
            || (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out nth) || nth < 1)))
        {
            throw new InvalidOperationException($"{Variable}={value}: expected one of {string.Join(", ", Names)}, optionally followed by :<n> (n >= 1).");
        }

        return new CrashPoint(parts[0], nth);
    }

    /// <summary>Counts a passage through <paramref name="point"/> and dies, like <c>kill -9</c>, on the armed one's nth.</summary>
    /// <param name="point">The point passed.</param>
    /// <param name="what">What passed it (a withdrawal, a deposit, a swap), for the line the test reads.</param>
    public void Reached(string point, string what)
    {
        if (!string.Equals(point, _point, StringComparison.Ordinal) || Interlocked.Increment(ref _reached) != _nth)
        {
            return;
        }

        Console.Error.WriteLine($"crash point {_point}:{_nth} reached in {what}: SIGKILL");
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <summary>What the log is appending: set when its bytes are stored, read at the leaf append (both under the scheme's gate).</summary>
    public string Logging
    {
        get => Volatile.Read(ref _logging);
        set => Volatile.Write(ref _logging, value);
    }

    /// <inheritdoc/>
    public override string ToString() => $"{_point}:{_nth}";
}
