namespace Wallet.Crypto.Seeds;

/// <summary>
/// A seed backup code could not be read. The message says what is wrong and where, never what was typed, so
/// it is safe to show and to log.
/// </summary>
public sealed class SeedFormatException : FormatException
{
    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    /// <param name="error">What is wrong.</param>
    /// <param name="position">The zero-based index in the input of the offending character, or -1 if none applies.</param>
    public SeedFormatException(SeedFormatError error, int position = -1)
        : base(Describe(error, position))
    {
        Error = error;
        Position = position;
    }

    /// <summary>What is wrong with the code.</summary>
    public SeedFormatError Error { get; }

    /// <summary>The zero-based index in the input of the offending character, or -1 if the error has no single position.</summary>
    public int Position { get; }

    private static string Describe(SeedFormatError error, int position) => error switch
    {
        SeedFormatError.Empty => "The backup code is empty.",
        SeedFormatError.InvalidCharacter => $"The backup code has a character that is not a letter or digit of the code at position {position + 1}.",
        SeedFormatError.WrongLength => "The backup code does not have 56 letters and digits: one is missing or extra.",
        SeedFormatError.ChecksumMismatch => "The backup code's checksum does not match: a character was mistyped or two were swapped.",
        SeedFormatError.UnsupportedVersion => "The backup code is from a format version this library does not read.",
        _ => "The backup code is not valid.",
    };
}
