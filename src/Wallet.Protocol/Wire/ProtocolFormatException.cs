namespace Wallet.Protocol.Wire;

/// <summary>
/// Thrown when PB/1 bytes from the network or disk are not the canonical encoding of the expected message:
/// truncated, trailing bytes, unknown version, oversize or non-canonical field.
/// </summary>
/// <remarks>docs/PROTOCOL.md section "Encoding".</remarks>
public sealed class ProtocolFormatException : FormatException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public ProtocolFormatException()
        : base("The bytes are not a canonical PB/1 encoding.")
    {
    }

    /// <summary>Creates the exception with a message that names the offending field (never its value).</summary>
    /// <param name="message">What was wrong.</param>
    public ProtocolFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception wrapping an inner cause.</summary>
    /// <param name="message">What was wrong.</param>
    /// <param name="innerException">The cause.</param>
    public ProtocolFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
