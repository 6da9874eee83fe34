namespace Wallet.Protocol.Operators;

/// <summary>The outcome of one payroll line. Every status except <see cref="Applied"/> means the line moved nothing.</summary>
/// <remarks>docs/PROTOCOL.md 5.21.</remarks>
public enum PayrollLineStatus : byte
{
    /// <summary>The worker was credited, by this batch or (a replay) by an earlier request with the same line.</summary>
    Applied = 1,

    /// <summary>The contributor's line key was already used for a different line. Stored: a retry gets the same answer.</summary>
    LineKeyReused = 2,

    /// <summary>The credit would take a balance past the range of a 64-bit integer. Stored under the line.</summary>
    AmountOverflow = 3,

    /// <summary>The amount is zero. Not stored.</summary>
    ZeroAmount = 4,

    /// <summary>The worker has no registered account. Not stored: the line may be sent again once the account exists.</summary>
    UnknownAccount = 5,
}
