namespace Wallet.Protocol.Keysets;

/// <summary>
/// Custody of the keysets' blind-signing keys: the scheme puts every key it announces here and loads them back at
/// start-up (<c>BenefitScheme.LoadKeysAsync</c>), so a keyset keeps issuing across restarts.
/// </summary>
/// <remarks>
/// <para>
/// docs/PROTOCOL.md "Key custody". The store hands out key objects, never key bytes: a private key leaves it only in
/// the form it keeps at rest (sealed, for <see cref="SealedFileKeysetKeyStore"/>). A returned key belongs to the
/// store, which keeps it alive until the store is disposed; callers never dispose it.
/// </para>
/// <para>
/// The scheme does not sign with these keys directly: <see cref="InProcessKeysetSignerSource"/> wraps them in
/// <see cref="IKeysetSigner"/>s. A hardware security module or a separate signing process (as Taler's key helper
/// processes are) that must never release its keys implements <see cref="IKeysetSignerSource"/> instead
/// (<c>Remote.SocketKeysetSignerSource</c> is the client of such a process; docs/PROTOCOL.md 8.2). This interface
/// covers keys kept at rest outside the process and loaded into it: sealed files, a secrets manager, an HSM that wraps
/// and unwraps keys.
/// </para>
/// </remarks>
public interface IKeysetKeyStore
{
    /// <summary>Takes a keyset's key into custody. The first key stored for a keyset wins; storing again does nothing.</summary>
    /// <param name="keyset">The keyset the key signs for.</param>
    /// <param name="key">The key; still the caller's afterwards (the store keeps its own copy, or its sealed form).</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task that completes once the key is durable in the store.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The store must copy the key and <paramref name="key"/> is not exportable.</exception>
    ValueTask PutAsync(KeysetId keyset, BlindRsaPrivateKey key, CancellationToken cancellationToken);

    /// <summary>Finds a keyset's key.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The key, owned by the store and never exportable, or null when the store holds none for the keyset.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <exception cref="KeysetKeyStoreException">The store holds a key for the keyset but cannot open it.</exception>
    ValueTask<BlindRsaPrivateKey?> TryLoadAsync(KeysetId keyset, CancellationToken cancellationToken);
}
