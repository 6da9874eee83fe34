namespace Wallet.Protocol.Registry;

/// <summary>
/// The accreditation body's signed, versioned default-allocation rule table (DESIGN.md section 3, flow 6). Resolution
/// is deterministic, so the scheme and every wallet compute the same default provider: the exact (sector, region) row,
/// else (sector, "*"), else ("*", "*"), which every table must have.
/// </summary>
/// <remarks>Signature domain "PB1/default-allocation" v1 over the body. Rows are stored strictly ascending by (sector, region).</remarks>
public sealed class DefaultAllocationTable : SignedProtocolMessage<DefaultAllocationTable>
{
    /// <summary>Encoding version.</summary>
    public const byte EncodingVersion = 1;

    /// <summary>The wildcard token.</summary>
    public const string Any = "*";

    /// <summary>Most rows per table.</summary>
    public const int MaxRules = 4096;

    private static readonly SignedMessageCodec<DefaultAllocationTable> Codec = RegisterSigned("default-allocation table", EncodingVersion, "PB1/default-allocation", ReadFields, static (m, w) => WriteBody(w, m.Version, m.IssuedAt, m.Rules));

    private DefaultAllocationTable(uint version, DateTimeOffset issuedAt, ImmutableArray<DefaultAllocationRule> rules, byte[] signature)
        : base(signature)
    {
        (Version, IssuedAt, Rules) = (version, issuedAt, rules);
    }

    /// <summary>The table version.</summary>
    public uint Version { get; }

    /// <summary>When it takes effect.</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The rows, ascending by (sector, region).</summary>
    public ImmutableArray<DefaultAllocationRule> Rules { get; }

    /// <summary>Builds and signs a table.</summary>
    /// <param name="version">The version.</param>
    /// <param name="issuedAt">When it takes effect.</param>
    /// <param name="rules">The rows; unique (sector, region), including ("*", "*").</param>
    /// <param name="signingKey">The accreditation body's key.</param>
    /// <returns>The signed table.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">Rows repeat, a token is invalid, there are too many, or the fallback row is missing.</exception>
    public static DefaultAllocationTable Sign(uint version, DateTimeOffset issuedAt, IEnumerable<DefaultAllocationRule> rules, Ed25519SigningKey signingKey)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(signingKey);
        var sorted = Canonical(rules, nameof(rules));
        var at = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        return new DefaultAllocationTable(version, at, sorted, Codec.Sign(new DefaultAllocationTable(version, at, sorted, []), signingKey));
    }

    /// <summary>Checks the accreditation body's signature.</summary>
    /// <param name="accreditationKey">The body's public key.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accreditationKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey accreditationKey) => IsSignedBy(accreditationKey ?? throw new ArgumentNullException(nameof(accreditationKey)));

    /// <summary>The default provider for a worker's sector and region.</summary>
    /// <param name="sector">The sector token.</param>
    /// <param name="region">The region token.</param>
    /// <returns>The provider.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public AccountId Resolve(string sector, string region)
    {
        ArgumentNullException.ThrowIfNull(sector);
        ArgumentNullException.ThrowIfNull(region);
        return (Find(sector, region) ?? Find(sector, Any) ?? Find(Any, Any)!).Provider;
    }

    private DefaultAllocationRule? Find(string sector, string region) =>
        Rules.FirstOrDefault(r => string.Equals(r.Sector, sector, StringComparison.Ordinal) && string.Equals(r.Region, region, StringComparison.Ordinal));

    private static ImmutableArray<DefaultAllocationRule> Canonical(IEnumerable<DefaultAllocationRule> rules, string paramName)
    {
        var sorted = rules.OrderBy(r => r.Sector, StringComparer.Ordinal).ThenBy(r => r.Region, StringComparer.Ordinal).ToImmutableArray();
        if (sorted.Length > MaxRules)
        {
            throw new ArgumentException("Too many rules.", paramName);
        }

        for (int i = 0; i < sorted.Length; i++)
        {
            AsciiToken.Validate(sorted[i].Sector, paramName);
            AsciiToken.Validate(sorted[i].Region, paramName);
            ArgumentNullException.ThrowIfNull(sorted[i].Provider, paramName);
            if (i > 0 && sorted[i - 1].Sector == sorted[i].Sector && sorted[i - 1].Region == sorted[i].Region)
            {
                throw new ArgumentException("Each (sector, region) appears once.", paramName);
            }
        }

        if (!sorted.Any(r => r.Sector == Any && r.Region == Any))
        {
            throw new ArgumentException("The table needs a (\"*\", \"*\") fallback row.", paramName);
        }

        return sorted;
    }

    private static DefaultAllocationTable ReadFields(ref ProtocolReader r)
    {
        uint version = r.U32("table_version");
        var at = r.Time("issued_at");
        var rules = r.List("rules", MaxRules, static (ref ProtocolReader r) => new DefaultAllocationRule(r.Ascii("sector"), r.Ascii("region"), r.Account("provider_id")));

        var canonical = Canonical(rules, "rules");
        if (!canonical.SequenceEqual(rules))
        {
            throw new ProtocolFormatException("Rules are not in canonical order.");
        }

        return new DefaultAllocationTable(version, at, canonical, r.Signature());
    }

    private static void WriteBody(ProtocolWriter w, uint version, DateTimeOffset issuedAt, ImmutableArray<DefaultAllocationRule> rules)
    {
        w.U32(version);
        w.Time(issuedAt);
        w.List(rules, static (rule, w) =>
        {
            w.Ascii(rule.Sector);
            w.Ascii(rule.Region);
            w.Ascii(rule.Provider.Value);
        });
    }
}
