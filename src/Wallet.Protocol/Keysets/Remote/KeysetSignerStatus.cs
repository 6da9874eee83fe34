namespace Wallet.Protocol.Keysets.Remote;

/// <summary>The status byte of a signing process's response (docs/PROTOCOL.md 8.2): success, or the typed error.</summary>
public enum KeysetSignerStatus
{
    /// <summary>Done; the payload follows.</summary>
    Ok = 0,

    /// <summary>The frame or the request is not a canonical signer request (truncated, trailing bytes, bad field).</summary>
    Malformed = 1,

    /// <summary>The request's version byte is not one the signer speaks.</summary>
    UnsupportedVersion = 2,

    /// <summary>The operation byte is unknown.</summary>
    UnknownOperation = 3,

    /// <summary>The signer holds no key for the keyset (for a filing: no generated key with that public key).</summary>
    UnknownKeyset = 4,

    /// <summary>The key the signer holds for the keyset is not the descriptor's public key or mode.</summary>
    KeyMismatch = 5,

    /// <summary>A blinded message is not as long as the modulus, or not below it (RFC 9474 section 4.3).</summary>
    InvalidMessage = 6,

    /// <summary>The signer could not open its key, or its own output failed the self-check; nothing was released.</summary>
    SigningFailed = 7,

    /// <summary>The frame's length is zero or above <see cref="KeysetSignerProtocol.MaxFrameLength"/>; the signer closes the connection.</summary>
    FrameTooLarge = 8,
}
