namespace Wallet.Protocol.Statements;

/// <summary>The scheme's answer to a <see cref="StatementRequest"/>; every refusal changes nothing.</summary>
public enum StatementStatus : byte
{
    /// <summary>Answered: the statement or the receipts.</summary>
    Answered = 1,

    /// <summary>No account key is registered for the account.</summary>
    UnknownAccount = 2,

    /// <summary>The request is not signed by the account's key (another account's key, or a forged signature).</summary>
    InvalidSignature = 3,

    /// <summary>The request's time lies more than <see cref="StatementRequest.MaxClockSkew"/> from the scheme's clock.</summary>
    Stale = 4,

    /// <summary>The same request was already answered.</summary>
    Replayed = 5,

    /// <summary>The request asks for something else (a receipts request sent for a statement, or the other way round).</summary>
    WrongPurpose = 6,

    /// <summary>The period holds more than <see cref="WorkerStatement.MaxLines"/> contributions or withdrawals: ask for a shorter one.</summary>
    PeriodTooLong = 7,

    /// <summary>The scheme is holding as many fresh requests as it remembers; try again shortly.</summary>
    Busy = 8,
}
