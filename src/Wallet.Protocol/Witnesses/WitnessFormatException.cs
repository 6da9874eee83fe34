namespace Wallet.Protocol.Witnesses;

/// <summary>
/// A witness protocol body is not in its format: an add-checkpoint request or response body (C2SP tlog-witness) or a
/// serialised <see cref="SplitViewEvidence"/> that is malformed, too long, or holds a malformed signed note or checkpoint.
/// </summary>
/// <remarks>Every parser in <c>Wallet.Protocol.Witnesses</c> throws this type, and no other, for malformed input.</remarks>
public sealed class WitnessFormatException : FormatException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public WitnessFormatException()
        : base("The body is not a well-formed witness protocol message.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the input.</param>
    public WitnessFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong with the input.</param>
    /// <param name="innerException">The underlying error.</param>
    public WitnessFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
