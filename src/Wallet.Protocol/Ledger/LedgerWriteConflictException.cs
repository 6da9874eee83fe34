namespace Wallet.Protocol.Ledger;

/// <summary>
/// An optimistic write transaction (<see cref="IOptimisticLedgerStore"/>) found that something it assumed no
/// longer holds, or could not answer a read without the server. Nothing was written; run the operation again
/// in an ordinary write transaction.
/// </summary>
public sealed class LedgerWriteConflictException : LedgerStoreException
{
    /// <summary>Creates the exception.</summary>
    public LedgerWriteConflictException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">Which assumption failed.</param>
    public LedgerWriteConflictException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the server's refusal.</summary>
    /// <param name="message">Which assumption failed.</param>
    /// <param name="innerException">The server's refusal.</param>
    public LedgerWriteConflictException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
