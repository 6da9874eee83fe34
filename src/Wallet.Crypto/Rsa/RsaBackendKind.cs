namespace Wallet.Crypto.Rsa;

/// <summary>The implementation of the raw RSA operations behind a key.</summary>
public enum RsaBackendKind
{
    /// <summary>
    /// The platform's OpenSSL 3 <c>libcrypto</c> (the library .NET itself loads on Linux), called through P/Invoke
    /// with <c>RSA_NO_PADDING</c>; OpenSSL applies its own base blinding to private operations.
    /// </summary>
    OpenSsl = 1,

    /// <summary>A managed implementation on BouncyCastle's big integers, CRT with base blinding; always available.</summary>
    Managed = 2,
}
