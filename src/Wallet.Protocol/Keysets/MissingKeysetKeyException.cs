namespace Wallet.Protocol.Keysets;

/// <summary>
/// The scheme refuses to start: its key store has no key for keysets that workers can still withdraw from (their
/// withdrawal window is not over and they are not revoked). Starting anyway would debit withdrawals it cannot sign.
/// </summary>
/// <remarks>docs/PROTOCOL.md "Key custody". Restore the keys, or revoke those keysets, before starting again.</remarks>
public sealed class MissingKeysetKeyException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="keysets">The keysets without a key; at least one.</param>
    /// <exception cref="ArgumentNullException"><paramref name="keysets"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="keysets"/> is empty.</exception>
    public MissingKeysetKeyException(IReadOnlyList<KeysetId> keysets)
        : base(Describe(keysets))
    {
        Keysets = [.. keysets];
    }

    /// <summary>The withdrawable keysets whose key is missing, in announcement order.</summary>
    public IReadOnlyList<KeysetId> Keysets { get; }

    private static string Describe(IReadOnlyList<KeysetId> keysets)
    {
        ArgumentNullException.ThrowIfNull(keysets);
        if (keysets.Count == 0)
        {
            throw new ArgumentException("At least one keyset is missing its key.", nameof(keysets));
        }

        return $"The key store has no key for withdrawable keyset(s) {string.Join(", ", keysets)}; restore the keys or revoke the keysets before starting.";
    }
}
