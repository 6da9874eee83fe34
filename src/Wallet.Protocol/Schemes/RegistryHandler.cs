namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme's side of the accreditation registry: publishing a version signed by the accreditation body (checked,
/// stored, logged) and listing the published versions.
/// </summary>
internal sealed class RegistryHandler(SchemeContext context, IRegistryStore registries)
{
    /// <summary>Lists every published accreditation registry version, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The registry versions.</returns>
    public async Task<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken = default) =>
        await registries.ListRegistriesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>Publishes a registry version signed by the accreditation body: stored and logged.</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the signature is invalid or the version does not increase.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    public async Task<bool> PublishRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        if (!registry.Verify(context.AccreditationKey))
        {
            return false;
        }

        return await context.UnderGateAsync<bool>(async () =>
        {
            var existing = await registries.ListRegistriesAsync(cancellationToken).ConfigureAwait(false);
            if (existing.Count > 0 && (existing[^1].Version >= registry.Version || existing[^1].IssuedAt > registry.IssuedAt))
            {
                return false;
            }

            await context.AppendLogOnceAsync($"r-{registry.Version}", LogEntry.ForRegistry(registry), cancellationToken).ConfigureAwait(false);
            await registries.PutRegistryAsync(registry, cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }
}
