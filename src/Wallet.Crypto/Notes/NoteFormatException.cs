namespace Wallet.Crypto.Notes;

/// <summary>
/// The text given to a signed-note, verifier-key or checkpoint parser is not in the C2SP format: invalid UTF-8, a
/// control character, no blank line before the signatures, a malformed signature line or key name, bad base64, too
/// many signatures, or a checkpoint line out of form.
/// </summary>
/// <remarks>Every parser in <c>Wallet.Crypto.Notes</c> throws this type, and no other, for malformed input.</remarks>
public sealed class NoteFormatException : FormatException
{
    /// <summary>Creates the exception with a generic message.</summary>
    public NoteFormatException()
        : base("The text is not a well-formed signed note.")
    {
    }

    /// <summary>Creates the exception with a message.</summary>
    /// <param name="message">What is wrong with the input.</param>
    public NoteFormatException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message and the error that caused it.</summary>
    /// <param name="message">What is wrong with the input.</param>
    /// <param name="innerException">The underlying error.</param>
    public NoteFormatException(string message, Exception innerException)
        : base(message, innerException)
    {
    }
}
