namespace Wallet.Protocol.Operators;

/// <summary>The outcome of one payroll line, in the position of its line.</summary>
/// <param name="Status">What happened to the line.</param>
/// <param name="IsReplay">True when an earlier request (or an earlier line of the same batch) had already applied this line.</param>
/// <remarks>docs/PROTOCOL.md 5.21.</remarks>
public sealed record PayrollLineResult(PayrollLineStatus Status, bool IsReplay)
{
    /// <summary>Whether the worker was credited (now or by an earlier attempt).</summary>
    public bool Succeeded => Status == PayrollLineStatus.Applied;
}
