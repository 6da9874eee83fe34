namespace Wallet.Crypto.BlindRsa;

/// <summary>A blind RSA operation refused its input; <see cref="Error"/> says which check failed. Carries no key material.</summary>
public sealed class BlindRsaException : CryptographicException
{
    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    /// <param name="error">The check that failed.</param>
    public BlindRsaException(BlindRsaError error)
        : base(Describe(error))
    {
        Error = error;
    }

    /// <summary>Creates an exception with no specific error (for serializers and tooling).</summary>
    public BlindRsaException()
        : base("Blind RSA operation failed.")
    {
        Error = BlindRsaError.Unspecified;
    }

    /// <summary>Creates an exception with a message.</summary>
    /// <param name="message">The message.</param>
    public BlindRsaException(string message)
        : base(message)
    {
        Error = BlindRsaError.Unspecified;
    }

    /// <summary>Creates an exception with a message and an inner exception.</summary>
    /// <param name="message">The message.</param>
    /// <param name="innerException">The cause.</param>
    public BlindRsaException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = BlindRsaError.Unspecified;
    }

    /// <summary>The check that failed.</summary>
    public BlindRsaError Error { get; }

    private static string Describe(BlindRsaError error) => error switch
    {
        BlindRsaError.InvalidLength => "Blind RSA input has the wrong length for this key.",
        BlindRsaError.OutOfRange => "Blind RSA input is zero or not below the modulus.",
        BlindRsaError.MessageNotCoprime => "The encoded message is not coprime with the modulus.",
        BlindRsaError.BlindingInverseFailure => "The blinding factor is not invertible modulo n.",
        BlindRsaError.SigningFailure => "The blind signature failed its own verification; it was not released.",
        BlindRsaError.InvalidSignature => "The signature does not verify.",
        BlindRsaError.EncodingError => "The modulus is too small for EMSA-PSS encoding.",
        _ => "Blind RSA operation failed.",
    };
}
