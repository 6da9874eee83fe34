namespace Wallet.Crypto.Seeds;

/// <summary>What is wrong with a seed backup code.</summary>
/// <remarks>The format is specified in <c>docs/derivation.md</c>, section "Backup code".</remarks>
public enum SeedFormatError
{
    /// <summary>The code is well formed.</summary>
    None = 0,

    /// <summary>The code has no symbols at all (it is empty or only separators).</summary>
    Empty,

    /// <summary>A character is neither a Crockford base32 symbol nor a separator (space, hyphen).</summary>
    InvalidCharacter,

    /// <summary>The code does not have exactly 56 symbols: a symbol is missing or one too many was typed.</summary>
    WrongLength,

    /// <summary>The check characters do not match: characters were mistyped or swapped.</summary>
    ChecksumMismatch,

    /// <summary>
    /// The code is intact but declares a format version this library does not read (a later one, or the pre-release
    /// version 0).
    /// </summary>
    UnsupportedVersion,
}
