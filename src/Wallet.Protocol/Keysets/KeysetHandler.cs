using System.Collections.Concurrent;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Keysets;

/// <summary>
/// The scheme's side of the keyset lifecycle (docs/PROTOCOL.md section 5.1): announcing a keyset (signed, stored,
/// logged) and attaching its blind-signing key, generating that key for operators, revoking, listing.
/// </summary>
internal sealed class KeysetHandler(SchemeContext context)
{
    private readonly SchemeContext _context = context;
    private readonly ConcurrentDictionary<string, (KeysetParameters Parameters, Lazy<Task<PublishedKeyset>> Announced)> _announcements = new(StringComparer.Ordinal);

    /// <summary>
    /// Announces a keyset: signs its descriptor, stores it and appends it to the log, then keeps the blind-signing
    /// key in memory. Idempotent: a known keyset only gets its key attached again.
    /// </summary>
    /// <param name="descriptor">The descriptor.</param>
    /// <param name="signingKey">The matching RSA private key (partially blind mode: the master key). Not owned.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The published keyset with its log index.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key does not match the descriptor's public key or mode.</exception>
    public async Task<PublishedKeyset> AnnounceKeysetAsync(KeysetDescriptor descriptor, BlindRsaPrivateKey signingKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(descriptor);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (!signingKey.PublicKey.ExportSubjectPublicKeyInfo().AsSpan().SequenceEqual(descriptor.PublicKey)
            || signingKey.Scheme != descriptor.Algorithm.Scheme)
        {
            throw new ArgumentException("The key does not match the descriptor.", nameof(signingKey));
        }

        await _context.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var stored = await _context.Store.GetKeysetAsync(descriptor.Id, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                var announcement = KeysetAnnouncement.Sign(descriptor, _context.SchemeKey);
                var (index, _) = await _context.AppendLogOnceAsync($"k-{descriptor.Id}", LogEntry.ForKeyset(announcement), cancellationToken).ConfigureAwait(false);
                stored = new StoredKeyset(announcement, index, Revoked: false);
                await _context.Store.PutKeysetAsync(stored, cancellationToken).ConfigureAwait(false);
            }

            _context.Signers[descriptor.Id] = new KeysetSigner(descriptor, signingKey);
            return Publish(stored);
        }
        finally
        {
            _context.Gate.Release();
        }
    }

    /// <summary>Revokes a keyset: no further withdrawals or deposits of its coins.</summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>Whether the keyset was known.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    public async Task<bool> RevokeKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        _context.Signers.TryRemove(keyset, out _);
        return await _context.Store.RevokeKeysetAsync(keyset, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Generates a fresh RSA key in this process, announces the keyset it signs for and keeps the key for issuing; the
    /// key is never stored or exported. A retry with the same idempotency key and parameters returns the same keyset.
    /// </summary>
    /// <param name="key">The idempotency key of this announcement.</param>
    /// <param name="parameters">The descriptor's fields.</param>
    /// <param name="cancellationToken">Cancels waiting; a generation already started still completes for a retry to find.</param>
    /// <returns>The published keyset with its log index.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The key was already used with other parameters.</exception>
    /// <remarks>
    /// docs/PROTOCOL.md section 5.1. The idempotency memory and the generated keys live as long as this object: after a
    /// restart the keyset can no longer issue (announce a new one; its coins stay depositable, since deposits verify
    /// against the logged public key). Hosts that must keep issuing across restarts use the overload taking the key.
    /// </remarks>
    public async Task<PublishedKeyset> AnnounceKeysetAsync(IdempotencyKey key, KeysetParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(parameters);
        var entry = _announcements.GetOrAdd(key.Value, _ => (parameters, new Lazy<Task<PublishedKeyset>>(() => GenerateAndAnnounceAsync(parameters))));
        if (!entry.Parameters.Equals(parameters))
        {
            throw new ArgumentException("The idempotency key was already used to announce a keyset with other parameters.", nameof(key));
        }

        try
        {
            return await entry.Announced.Value.WaitAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception) when (entry.Announced.Value.IsFaulted)
        {
            // A failed announcement is not remembered, so a retry runs it afresh.
            _announcements.TryRemove(new KeyValuePair<string, (KeysetParameters, Lazy<Task<PublishedKeyset>>)>(key.Value, entry));
            throw;
        }
    }

    /// <summary>Lists the announced keysets with their log indexes.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The keysets.</returns>
    public async Task<IReadOnlyList<PublishedKeyset>> ListKeysetsAsync(CancellationToken cancellationToken = default) =>
        [.. (await _context.Store.ListKeysetsAsync(cancellationToken).ConfigureAwait(false)).Select(Publish)];

    private async Task<PublishedKeyset> GenerateAndAnnounceAsync(KeysetParameters parameters)
    {
        var scheme = parameters.Mode == KeysetMode.RsaBlind ? BlindRsaScheme.Rsabssa : BlindRsaScheme.Rsapbssa;

        // Owned by the keyset's signer for the scheme's lifetime; not exportable, so it cannot leave this process.
        var signingKey = BlindRsaPrivateKey.Generate(parameters.ModulusBits, scheme);
        var descriptor = parameters.Describe(signingKey.PublicKey.ExportSubjectPublicKeyInfo());
        return await AnnounceKeysetAsync(descriptor, signingKey, CancellationToken.None).ConfigureAwait(false);
    }

    // The storage record stays the store's; clients get the published view of it.
    private static PublishedKeyset Publish(StoredKeyset stored) => new(stored.Announcement, stored.LogIndex, stored.Revoked);
}
