namespace Wallet.Crypto.SealedFiles;

/// <summary>Why a sealed wallet file could not be opened.</summary>
public enum SealedFileError
{
    /// <summary>The data does not start with the sealed-file magic bytes: it is some other kind of file.</summary>
    NotASealedFile = 1,

    /// <summary>The file is shorter than its header and authentication tag.</summary>
    Truncated,

    /// <summary>The file is longer than <see cref="SealedFile.MaxPlaintextLength"/> allows.</summary>
    TooLarge,

    /// <summary>The header declares a format version this library does not know.</summary>
    UnsupportedVersion,

    /// <summary>The header names a key derivation function or cipher this library does not know.</summary>
    UnsupportedAlgorithm,

    /// <summary>The header's Argon2id parameters are outside the bounds this library accepts.</summary>
    ParametersOutOfBounds,

    /// <summary>
    /// Decryption failed: the passphrase is wrong, or the file was altered or damaged. The two cannot be told
    /// apart, by design of authenticated encryption.
    /// </summary>
    AuthenticationFailed,

    /// <summary>
    /// Argon2id could not run with the header's parameters, typically because the memory it asks for could not be
    /// allocated.
    /// </summary>
    KeyDerivationFailed,
}
