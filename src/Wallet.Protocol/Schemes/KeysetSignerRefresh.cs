using System.Collections.Concurrent;

namespace Wallet.Protocol.Schemes;

/// <summary>
/// Keeps this scheme object's attached signers (<see cref="SchemeContext.Signers"/>) in step with the shared keyset
/// store when other processes serve the same scheme (docs/scaling.md "Several nodes"): a keyset announced elsewhere gets
/// its signer from the signer source the first time a request names it here, and a keyset revoked or expired elsewhere
/// loses its signer here within <see cref="Interval"/>.
/// </summary>
/// <remarks>
/// Runs before a flow's handler, for the keysets its request names. When every named keyset has a signer checked within
/// the interval it completes synchronously without touching a store, so a single node pays a dictionary lookup per
/// keyset and one keyset read per keyset and interval.
/// </remarks>
internal sealed class KeysetSignerRefresh(SchemeContext context, IKeysetStore keysets, IKeysetSignerSource signerSource)
{
    private readonly ConcurrentDictionary<KeysetId, long> _checkedAt = new();

    /// <summary>Whether a keyset without a signer gets one on demand; off after a key load refused to start the scheme.</summary>
    public bool Attaching { get; set; } = true;

    /// <summary>How long a signer is used before its keyset's stored record is read again; zero reads it every time.</summary>
    public TimeSpan Interval { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Brings the signers of the named keysets up to date with the store.</summary>
    public ValueTask RefreshAsync(IEnumerable<KeysetId> named, CancellationToken cancellationToken)
    {
        List<KeysetId>? stale = null;
        long now = context.Time.GetTimestamp();
        foreach (var id in named)
        {
            if (!IsFresh(id, now))
            {
                stale ??= [];
                if (!stale.Contains(id))
                {
                    stale.Add(id);
                }
            }
        }

        return stale is null ? ValueTask.CompletedTask : RefreshSlowAsync(stale, cancellationToken);
    }

    /// <summary>Forgets when a keyset was checked, so the next request reads it again (its signer was dropped or attached here).</summary>
    public void Forget(KeysetId keyset) => _checkedAt.TryRemove(keyset, out _);

    private bool IsFresh(KeysetId id, long now) =>
        context.Signers.ContainsKey(id)
        && _checkedAt.TryGetValue(id, out long at)
        && context.Time.GetElapsedTime(at, now) < Interval;

    private async ValueTask RefreshSlowAsync(List<KeysetId> stale, CancellationToken cancellationToken)
    {
        foreach (var id in stale)
        {
            var stored = await keysets.GetKeysetAsync(id, cancellationToken).ConfigureAwait(false);
            var descriptor = stored?.Announcement.Descriptor;
            if (stored is null || stored.Revoked || !descriptor!.IsDepositable(context.Time.GetUtcNow()))
            {
                // Unknown here (the handler answers so), or revoked or past its deposit window on some node: no signer,
                // as LoadKeysAsync and the expiry would leave it.
                if (stored is not null)
                {
                    context.Signers.TryRemove(id, out _);
                }

                Forget(id);
                continue;
            }

            if (Attaching && !context.Signers.ContainsKey(id) && await TryGetSignerAsync(descriptor, cancellationToken).ConfigureAwait(false) is { } signer)
            {
                context.Signers.TryAdd(id, new KeysetSigner(descriptor, signer));
            }

            if (context.Signers.ContainsKey(id))
            {
                _checkedAt[id] = context.Time.GetTimestamp();
            }
        }
    }

    // A keyset announced on another node: its key is in the shared custody. Unreachable custody leaves it unattached,
    // and the flow answers as it does for any keyset without a signer; a key that is not the announced one is refused.
    private async ValueTask<IKeysetSigner?> TryGetSignerAsync(KeysetDescriptor descriptor, CancellationToken cancellationToken)
    {
        IKeysetSigner? signer;
        try
        {
            signer = await signerSource.TryGetSignerAsync(descriptor, cancellationToken).ConfigureAwait(false);
        }
        catch (KeysetSignerUnavailableException)
        {
            return null;
        }

        if (signer is not null && !KeysetHandler.Matches(signer, descriptor))
        {
            throw new KeysetKeyStoreException(descriptor.Id, "the stored key is not the keyset's announced key.");
        }

        return signer;
    }
}
