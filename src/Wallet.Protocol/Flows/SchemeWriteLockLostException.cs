namespace Wallet.Protocol.Flows;

/// <summary>
/// The scheme's write lock was lost while held (its connection died, and the server released it): another process may
/// hold it now, so the operation stops instead of going on unguarded. Every scheme operation is idempotent; retrying it
/// with the same request finishes it exactly once.
/// </summary>
public sealed class SchemeWriteLockLostException : SchemeWriteLockException
{
    /// <summary>Creates the exception with a default message.</summary>
    public SchemeWriteLockLostException()
        : base("The scheme's write lock was lost while held.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public SchemeWriteLockLostException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SchemeWriteLockLostException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
