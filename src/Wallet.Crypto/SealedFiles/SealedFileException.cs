namespace Wallet.Crypto.SealedFiles;

/// <summary>A sealed wallet file could not be opened. The message never contains the passphrase or any content.</summary>
public sealed class SealedFileException : Exception
{
    /// <summary>Creates an exception for <paramref name="error"/>.</summary>
    /// <param name="error">Why the file could not be opened.</param>
    public SealedFileException(SealedFileError error)
        : base(Describe(error))
    {
        Error = error;
    }

    /// <summary>Why the file could not be opened.</summary>
    public SealedFileError Error { get; }

    private static string Describe(SealedFileError error) => error switch
    {
        SealedFileError.NotASealedFile => "The data is not a sealed wallet file.",
        SealedFileError.Truncated => "The sealed wallet file is truncated.",
        SealedFileError.TooLarge => "The sealed wallet file is larger than the maximum size.",
        SealedFileError.UnsupportedVersion => "The sealed wallet file has an unsupported format version.",
        SealedFileError.UnsupportedAlgorithm => "The sealed wallet file names an unsupported algorithm.",
        SealedFileError.ParametersOutOfBounds => "The sealed wallet file's key derivation parameters are out of bounds.",
        SealedFileError.AuthenticationFailed => "The passphrase is wrong or the sealed wallet file was altered.",
        _ => "The sealed wallet file could not be opened.",
    };
}
