namespace Wallet.Protocol.Wallets;

/// <summary>A wallet file could not be loaded; <see cref="Error"/> says why. The message never contains wallet content or key material.</summary>
public sealed class WalletFileException : Exception
{
    /// <summary>Creates the exception with <see cref="WalletFileError.Malformed"/>.</summary>
    public WalletFileException()
        : this(WalletFileError.Malformed, "The wallet file is malformed.")
    {
    }

    /// <summary>Creates the exception with <see cref="WalletFileError.Malformed"/>.</summary>
    /// <param name="message">The message.</param>
    public WalletFileException(string message)
        : this(WalletFileError.Malformed, message)
    {
    }

    /// <summary>Creates the exception with <see cref="WalletFileError.Malformed"/>.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public WalletFileException(string message, Exception innerException)
        : this(WalletFileError.Malformed, message, innerException)
    {
    }

    /// <summary>Creates the exception.</summary>
    /// <param name="error">Why loading failed.</param>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause, if any.</param>
    public WalletFileException(WalletFileError error, string message, Exception? innerException = null)
        : base(message, innerException)
    {
        Error = error;
    }

    /// <summary>Why loading failed.</summary>
    public WalletFileError Error { get; }
}
