namespace Wallet.Crypto.Notes;

/// <summary>The outcome of checking a note against a set of trusted keys.</summary>
public enum NoteVerificationStatus
{
    /// <summary>At least one trusted key's signature verified, and no trusted key's signature failed.</summary>
    Verified,

    /// <summary>No signature line names a trusted key (by name and key ID): the note must be ignored.</summary>
    NoTrustedSignature,

    /// <summary>A signature line names a trusted key but does not verify: the text was altered or the signature forged.</summary>
    InvalidSignature,
}
