namespace Wallet.Crypto.BlindRsa;

/// <summary>Why a blind RSA operation refused its input; each value is one check RFC 9474 asks for.</summary>
public enum BlindRsaError
{
    /// <summary>No specific check (an exception made without one).</summary>
    Unspecified = 0,

    /// <summary>An input has the wrong length for the key (RFC 9474 section 4.3 step 1, section 4.4 step 1: "unexpected input size").</summary>
    InvalidLength = 1,

    /// <summary>An integer input is zero or not below the modulus n (RFC 8017 section 5.2.1: "message representative out of range").</summary>
    OutOfRange = 2,

    /// <summary>The encoded message is not coprime with n (RFC 9474 section 4.2 step 3: "invalid input").</summary>
    MessageNotCoprime = 3,

    /// <summary>The blinding factor has no inverse modulo n (RFC 9474 section 4.2 step 5: "blinding error").</summary>
    BlindingInverseFailure = 4,

    /// <summary>The signer's own output did not verify, which a fault attack would cause (RFC 9474 section 4.3 step 3: "signing failure").</summary>
    SigningFailure = 5,

    /// <summary>The unblinded signature does not verify (RFC 9474 section 4.4 step 5: "invalid signature").</summary>
    InvalidSignature = 6,

    /// <summary>The modulus is too small for EMSA-PSS with this salt (RFC 8017 section 9.1.1: "encoding error").</summary>
    EncodingError = 7,
}
