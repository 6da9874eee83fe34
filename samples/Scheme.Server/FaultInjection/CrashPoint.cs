using System.Diagnostics;
using System.Globalization;
using Wallet.Protocol.Log;

namespace Scheme.Server.FaultInjection;

/// <summary>
/// A test seam of the sample, off unless <c>WALLETCORE_CRASH_AT=&lt;point&gt;[:&lt;nth&gt;][@&lt;flow&gt;]</c> is set: the
/// process kills itself with SIGKILL the nth time (default 1) a flow (any, or only <c>withdrawal</c>, <c>deposit</c> or
/// <c>swap</c>) reaches the named point. The crash soak (tests/Wallet.Protocol.AspNetCore.Tests/Samples/
/// SchemeServerCrashSoakTests) uses it to crash the server exactly between two durable steps of a flow;
/// docs/PROTOCOL.md 8.3 states what a retry must then find.
/// </summary>
internal sealed class CrashPoint
{
    /// <summary>The environment variable that arms a crash point.</summary>
    public const string Variable = "WALLETCORE_CRASH_AT";

    /// <summary>Once a withdrawal, deposit or swap's ledger entry is committed.</summary>
    public const string AfterDebit = "after-debit";

    /// <summary>
    /// The ledger entry committed and the blind signatures made (a deposit: its first spends stored), before the flow's
    /// log entry is stored.
    /// </summary>
    public const string AfterSigning = "after-signing";

    /// <summary>Once the flow's leaf is committed to the Merkle log, before the flow stores its response.</summary>
    public const string AfterLogAppend = "after-log-append";

    /// <summary>Everything durable but the stored response (withdrawal, deposit receipt, swap).</summary>
    public const string BeforeResponse = "before-response";

    private static readonly string[] Points = [AfterDebit, AfterSigning, AfterLogAppend, BeforeResponse];
    private static readonly string[] Flows = ["withdrawal", "deposit", "swap"];

    private readonly string _point;
    private readonly int _nth;
    private readonly string? _flow;
    private int _reached;
    private string? _logging;

    private CrashPoint(string point, int nth, string? flow)
    {
        _point = point;
        _nth = nth;
        _flow = flow;
    }

    /// <summary>The flow whose log entry is being appended: set when its bytes are stored, read at the leaf append (both under the scheme's gate).</summary>
    public string? Logging
    {
        get => Volatile.Read(ref _logging);
        set => Volatile.Write(ref _logging, value);
    }

    /// <summary>The armed point, or null when the variable is not set.</summary>
    /// <exception cref="InvalidOperationException">The variable is set but names no point or flow, or its count is not a positive integer.</exception>
    public static CrashPoint? FromEnvironment()
    {
        string? value = Environment.GetEnvironmentVariable(Variable);
        if (string.IsNullOrEmpty(value))
        {
            return null;
        }

        string[] at = value.Split('@');
        string[] parts = at[0].Split(':');
        int nth = 1;
        if (at.Length > 2 || (at.Length == 2 && !Flows.Contains(at[1], StringComparer.Ordinal))
            || parts.Length > 2 || !Points.Contains(parts[0], StringComparer.Ordinal)
            || (parts.Length == 2 && (!int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out nth) || nth < 1)))
        {
            throw new InvalidOperationException(
                $"{Variable}={value}: expected <point>[:<n>][@<flow>], a point of {string.Join(", ", Points)}, n >= 1, a flow of {string.Join(", ", Flows)}.");
        }

        return new CrashPoint(parts[0], nth, at.Length == 2 ? at[1] : null);
    }

    /// <summary>The flow a log entry records, or null for the operator's entries.</summary>
    public static string? FlowOf(LogEntryKind kind) => kind switch
    {
        LogEntryKind.CoinsIssued => "withdrawal",
        LogEntryKind.CoinsSpent => "deposit",
        LogEntryKind.CoinsSwapped => "swap",
        _ => null,
    };

    /// <summary>Counts a passage of <paramref name="flow"/> through <paramref name="point"/> and dies, like <c>kill -9</c>, on the armed one's nth.</summary>
    /// <param name="point">The point passed.</param>
    /// <param name="flow">The flow that passed it (withdrawal, deposit, swap), or null for an operator's operation.</param>
    /// <param name="detail">What exactly passed, for the line the test reads.</param>
    public void Reached(string point, string? flow, string detail)
    {
        if (!string.Equals(point, _point, StringComparison.Ordinal)
            || (_flow is not null && !string.Equals(flow, _flow, StringComparison.Ordinal))
            || Interlocked.Increment(ref _reached) != _nth)
        {
            return;
        }

        Console.Error.WriteLine($"crash point {this} reached in {flow ?? "an operator call"} ({detail}): SIGKILL");
        Console.Error.Flush();
        using var self = Process.GetCurrentProcess();
        self.Kill();
        Thread.Sleep(Timeout.Infinite);
    }

    /// <inheritdoc/>
    public override string ToString() => _flow is null ? $"{_point}:{_nth}" : $"{_point}:{_nth}@{_flow}";
}
