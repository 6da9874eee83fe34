namespace Wallet.Protocol.Keysets;

/// <summary>
/// A key store holds a key for a keyset but cannot give it back: the key-encryption key is wrong, the sealed key was
/// altered or belongs to another keyset, or it is not a key. The message names the keyset, never key material.
/// </summary>
public sealed class KeysetKeyStoreException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="keyset">The keyset whose key could not be opened.</param>
    /// <param name="reason">Why, in words that carry no secret.</param>
    /// <param name="innerException">The underlying failure, or null (it must carry no secret either).</param>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> or <paramref name="reason"/> is null.</exception>
    public KeysetKeyStoreException(KeysetId keyset, string reason, Exception? innerException = null)
        : base($"The key of keyset {keyset ?? throw new ArgumentNullException(nameof(keyset))} could not be opened: {reason ?? throw new ArgumentNullException(nameof(reason))}", innerException)
    {
        Keyset = keyset;
    }

    /// <summary>The keyset whose key could not be opened.</summary>
    public KeysetId Keyset { get; }
}
