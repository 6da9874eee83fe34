namespace Wallet.Protocol.Registry;

/// <summary>Published accreditation registry versions (part of <see cref="Schemes.ISchemeStore"/>).</summary>
public interface IRegistryStore
{
    /// <summary>Stores a registry version (first write per version wins).</summary>
    /// <param name="registry">The registry.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>A task.</returns>
    ValueTask PutRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken);

    /// <summary>Lists registry versions in ascending version order.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The registries.</returns>
    ValueTask<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken);
}
