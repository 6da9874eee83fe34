namespace Wallet.Protocol.Flows;

/// <summary>The scheme's write lock (<see cref="ISchemeWriteLock"/>) cannot be taken: the operation did not start.</summary>
/// <remarks>The message never carries a connection string or other secret.</remarks>
public class SchemeWriteLockException : Exception
{
    /// <summary>Creates the exception with a default message.</summary>
    public SchemeWriteLockException()
        : base("The scheme's write lock cannot be taken.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What went wrong.</param>
    public SchemeWriteLockException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and its cause.</summary>
    /// <param name="message">What went wrong.</param>
    /// <param name="innerException">The cause.</param>
    public SchemeWriteLockException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
