namespace Wallet.Crypto.Merkle;

/// <summary>
/// The bytes given to a Merkle decoder (a proof or a signed tree head from the network or disk) are not a
/// canonical encoding: wrong tag or version, truncated, trailing bytes, an oversize path or an impossible
/// field value.
/// </summary>
public sealed class MerkleFormatException : FormatException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public MerkleFormatException()
        : base("The bytes are not a canonical Merkle structure.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the input.</param>
    public MerkleFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong with the input.</param>
    /// <param name="innerException">The underlying error.</param>
    public MerkleFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
