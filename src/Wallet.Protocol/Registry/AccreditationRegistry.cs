namespace Wallet.Protocol.Registry;

/// <summary>A signed, versioned list of accredited providers, published by the accreditation body and logged by the scheme.</summary>
/// <remarks>Signature domain "PB1/registry" v1 over the unsigned body (everything before the signature).</remarks>
public sealed class AccreditationRegistry : SignedProtocolMessage<AccreditationRegistry>
{
    /// <summary>Encoding version.</summary>
    public const byte EncodingVersion = 1;

    /// <summary>Most providers per registry version.</summary>
    public const int MaxProviders = 4096;

    private static readonly SignedMessageCodec<AccreditationRegistry> Codec = RegisterSigned("registry", EncodingVersion, "PB1/registry", ReadFields, static (m, w) => WriteBody(w, m.Version, m.IssuedAt, m.Providers));

    // The key this registry's signature was last found valid for (Verify).
    private Ed25519PublicKey? _verifiedFor;

    private AccreditationRegistry(uint version, DateTimeOffset issuedAt, ImmutableArray<ProviderRecord> providers, byte[] signature)
        : base(signature)
    {
        (Version, IssuedAt, Providers) = (version, issuedAt, providers);
    }

    /// <summary>The registry version; strictly increasing.</summary>
    public uint Version { get; }

    /// <summary>When this version takes effect.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The providers, sorted by id.</summary>
    public ImmutableArray<ProviderRecord> Providers { get; }

    /// <summary>Builds and signs a registry version.</summary>
    /// <param name="version">The version number.</param>
    /// <param name="issuedAt">When it takes effect.</param>
    /// <param name="providers">The providers; ids are unique.</param>
    /// <param name="signingKey">The accreditation body's key.</param>
    /// <returns>The signed registry.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">Provider ids repeat or there are too many.</exception>
    public static AccreditationRegistry Sign(uint version, DateTimeOffset issuedAt, IEnumerable<ProviderRecord> providers, Ed25519SigningKey signingKey)
    {
        ArgumentNullException.ThrowIfNull(providers);
        ArgumentNullException.ThrowIfNull(signingKey);
        var sorted = providers.OrderBy(p => p.Id.Value, StringComparer.Ordinal).ToImmutableArray();
        if (sorted.Length > MaxProviders)
        {
            throw new ArgumentException("Too many providers.", nameof(providers));
        }

        for (int i = 1; i < sorted.Length; i++)
        {
            if (sorted[i - 1].Id == sorted[i].Id)
            {
                throw new ArgumentException("Provider ids are unique.", nameof(providers));
            }
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        return new AccreditationRegistry(version, at, sorted, Codec.Sign(new AccreditationRegistry(version, at, sorted, []), signingKey));
    }

    /// <summary>Checks the accreditation body's signature.</summary>
    /// <param name="accreditationKey">The body's public key.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accreditationKey"/> is null.</exception>
    /// <remarks>
    /// A registry is immutable, and a wallet checks the one it holds before every payment: once its signature has been
    /// found valid for a key, later checks against an equal key answer from that result instead of verifying again.
    /// </remarks>
    public bool Verify(Ed25519PublicKey accreditationKey)
    {
        ArgumentNullException.ThrowIfNull(accreditationKey);
        if (Volatile.Read(ref _verifiedFor) is { } verified && verified.Equals(accreditationKey))
        {
            return true;
        }

        if (!IsSignedBy(accreditationKey))
        {
            return false;
        }

        Volatile.Write(ref _verifiedFor, accreditationKey);
        return true;
    }

    /// <summary>Finds a provider by id.</summary>
    /// <param name="id">The provider id.</param>
    /// <returns>The record, or null.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="id"/> is null.</exception>
    public ProviderRecord? Find(AccountId id)
    {
        ArgumentNullException.ThrowIfNull(id);
        return Providers.FirstOrDefault(p => p.Id == id);
    }

    /// <inheritdoc/>
    public override string ToString() => $"Registry(v{Version}, {Providers.Length} providers)";

    private static AccreditationRegistry ReadFields(ref ProtocolReader r)
    {
        uint version = r.U32("registry_version");
        var issuedAt = r.Time("issued_at");
        var providers = r.List("providers", MaxProviders, ProviderRecord.Read);
        ProtocolCodec.RequireAscending(providers, static (a, b) => string.CompareOrdinal(a.Id.Value, b.Id.Value), "Providers are not strictly ascending by id.");
        return new AccreditationRegistry(version, issuedAt, providers, r.Signature());
    }

    private static void WriteBody(ProtocolWriter w, uint version, DateTimeOffset issuedAt, ImmutableArray<ProviderRecord> providers)
    {
        w.U32(version);
        w.Time(issuedAt);
        w.List(providers, static (p, w) => p.Write(w));
    }
}
