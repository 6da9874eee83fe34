namespace Wallet.Protocol.Ledger;

/// <summary>
/// A ledger store failed (I/O error, corrupted or non-canonical stored data, a schema from a newer version).
/// The operation in progress moved nothing unless it had already been committed; retry with the same
/// idempotency key to find out.
/// </summary>
/// <remarks>Not sealed: <see cref="LedgerWriteConflictException"/> is the one kind a caller handles differently.</remarks>
public class LedgerStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    public LedgerStoreException()
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What failed.</param>
    public LedgerStoreException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the underlying failure.</summary>
    /// <param name="message">What failed.</param>
    /// <param name="innerException">The underlying failure.</param>
    public LedgerStoreException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
