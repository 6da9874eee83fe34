namespace Wallet.Protocol.Keysets;

/// <summary>The scheme's keysets: each announced keyset with its log index and revocation flag (part of <see cref="Schemes.ISchemeStore"/>).</summary>
public interface IKeysetStore
{
    /// <summary>Stores a keyset (first write wins).</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutKeysetAsync(StoredKeyset keyset, CancellationToken cancellationToken);

    /// <summary>Marks a keyset revoked.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the keyset exists.</returns>
    ValueTask<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken);

    /// <summary>Finds a keyset.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keyset, or null.</returns>
    ValueTask<StoredKeyset?> GetKeysetAsync(KeysetId keyset, CancellationToken cancellationToken);

    /// <summary>Lists every keyset in announcement order.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keysets.</returns>
    ValueTask<IReadOnlyList<StoredKeyset>> ListKeysetsAsync(CancellationToken cancellationToken);
}
