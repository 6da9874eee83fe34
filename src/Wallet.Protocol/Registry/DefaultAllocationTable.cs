namespace Wallet.Protocol.Registry;

/// <summary>
/// The accreditation body's signed, versioned default-allocation rule table (DESIGN.md section 3, flow 6). Resolution
/// is deterministic, so the scheme and every wallet compute the same default provider: the exact (sector, region) row,
/// else (sector, "*"), else ("*", "*"), which every table must have.
/// </summary>
/// <remarks>
/// Signature domain "PB1/default-allocation" v1 over the body. Rows are stored strictly ascending by (sector, region).
/// Encoding version 2 adds the signed <see cref="SeveralJobsRule"/> for profiles of several jobs (docs/PROTOCOL.md
/// 5.24); a version 1 table still decodes, re-encodes to its own bytes and verifies, and its rule is
/// <see cref="SeveralJobsRule.FirstJob"/>.
/// </remarks>
public sealed class DefaultAllocationTable : SignedProtocolMessage<DefaultAllocationTable>
{
    /// <summary>Encoding version (2: with the several-jobs rule; version 1 tables still decode).</summary>
    public const byte EncodingVersion = 2;

    /// <summary>The wildcard token.</summary>
    public const string Any = "*";

    /// <summary>Most rows per table.</summary>
    public const int MaxRules = 4096;

    private static readonly SignedMessageCodec<DefaultAllocationTable> Codec = Versioned(RegisterSigned("default-allocation table", EncodingVersion, "PB1/default-allocation", static (ref ProtocolReader r) => ReadFields(ref r, EncodingVersion), static (m, w) => WriteBody(w, m)));

    private DefaultAllocationTable(uint version, DateTimeOffset issuedAt, ImmutableArray<DefaultAllocationRule> rules, SeveralJobsRule? severalJobs, byte[] signature)
        : base(signature)
    {
        (Version, IssuedAt, Rules, _severalJobs) = (version, issuedAt, rules, severalJobs);
    }

    // Null for a version 1 table, which signed no rule.
    private readonly SeveralJobsRule? _severalJobs;

    /// <summary>How a profile of several jobs is split: signed in a version 2 table, <see cref="SeveralJobsRule.FirstJob"/> for a version 1 table.</summary>
    public SeveralJobsRule SeveralJobs => _severalJobs ?? SeveralJobsRule.FirstJob;

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
        return new DefaultAllocationTable(version, at, sorted, null, Codec.Sign(new DefaultAllocationTable(version, at, sorted, null, []), signingKey));
    }

    /// <summary>Builds and signs a table (encoding version 2) with the rule for profiles of several jobs.</summary>
    /// <param name="version">The version.</param>
    /// <param name="issuedAt">When it takes effect.</param>
    /// <param name="rules">The rows; unique (sector, region), including ("*", "*").</param>
    /// <param name="severalJobs">The rule for profiles of several jobs: <see cref="SeveralJobsRule.EqualSplit"/> or <see cref="SeveralJobsRule.ProRata"/>.</param>
    /// <param name="signingKey">The accreditation body's key.</param>
    /// <returns>The signed table.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">Rows repeat, a token is invalid, there are too many, or the fallback row is missing.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="severalJobs"/> is not a rule a version 2 table signs.</exception>
    public static DefaultAllocationTable Sign(uint version, DateTimeOffset issuedAt, IEnumerable<DefaultAllocationRule> rules, SeveralJobsRule severalJobs, Ed25519SigningKey signingKey)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(signingKey);
        if (severalJobs is not (SeveralJobsRule.EqualSplit or SeveralJobsRule.ProRata))
        {
            throw new ArgumentOutOfRangeException(nameof(severalJobs), "A version 2 table signs EqualSplit or ProRata.");
        }

        var sorted = Canonical(rules, nameof(rules));
        var at = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        return new DefaultAllocationTable(version, at, sorted, severalJobs, Codec.Sign(new DefaultAllocationTable(version, at, sorted, severalJobs, []), signingKey));
    }

    /// <summary>
    /// Splits a balance across a profile's jobs by <see cref="SeveralJobs"/>, each job's part going to the provider
    /// <see cref="Resolve"/> gives for it. Deterministic: jobs in canonical order, parts rounded down, the minor-unit
    /// remainder to the first job; jobs whose part is zero are left out.
    /// </summary>
    /// <param name="jobs">The profile's jobs (1 to <see cref="DefaultAllocationInput.MaxJobs"/>, each (sector, region) once), in any order.</param>
    /// <param name="total">The balance to split.</param>
    /// <returns>The parts in canonical job order; they sum to <paramref name="total"/>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="jobs"/> or an item of it is null.</exception>
    /// <exception cref="ArgumentException">No jobs, too many, or a (sector, region) repeats.</exception>
    /// <remarks>docs/PROTOCOL.md 5.24.</remarks>
    public IReadOnlyList<DefaultAllocationShare> Split(IEnumerable<DefaultAllocationJob> jobs, Amount total)
    {
        var sorted = DefaultAllocationInput.Canonical(jobs, nameof(jobs));
        var weights = sorted.Select((job, i) => SeveralJobs switch
        {
            SeveralJobsRule.EqualSplit => 1UL,
            SeveralJobsRule.ProRata => job.Weight,
            _ => i == 0 ? 1UL : 0UL,
        }).ToArray();
        ulong sum = weights.Aggregate(0UL, (a, w) => a + w);
        var parts = weights.Select(w => (long)((Int128)total.MinorUnits * w / sum)).ToArray();
        parts[0] += total.MinorUnits - parts.Sum();
        return [.. sorted.Select((job, i) => (job, part: parts[i]))
            .Where(p => p.part > 0)
            .Select(p => new DefaultAllocationShare(p.job, Resolve(p.job.Sector, p.job.Region), Amount.FromMinorUnits(p.part)))];
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

    private static SignedMessageCodec<DefaultAllocationTable> Versioned(SignedMessageCodec<DefaultAllocationTable> codec)
    {
        codec.AcceptFrom(1, static t => t._severalJobs is null ? (byte)1 : EncodingVersion, ReadFields);
        return codec;
    }

    private static DefaultAllocationTable ReadFields(ref ProtocolReader r, byte encoding)
    {
        uint version = r.U32("table_version");
        var at = r.Time("issued_at");
        var rules = r.List("rules", MaxRules, static (ref ProtocolReader r) => new DefaultAllocationRule(r.Ascii("sector"), r.Ascii("region"), r.Account("provider_id")));

        var canonical = Canonical(rules, "rules");
        if (!canonical.SequenceEqual(rules))
        {
            throw new ProtocolFormatException("Rules are not in canonical order.");
        }

        SeveralJobsRule? severalJobs = null;
        if (encoding >= 2)
        {
            byte rule = r.U8("several_jobs_rule");
            severalJobs = rule is (byte)SeveralJobsRule.EqualSplit or (byte)SeveralJobsRule.ProRata
                ? (SeveralJobsRule)rule
                : throw new ProtocolFormatException($"Unknown several-jobs rule {rule}.");
        }

        return new DefaultAllocationTable(version, at, canonical, severalJobs, r.Signature());
    }

    private static void WriteBody(ProtocolWriter w, DefaultAllocationTable table)
    {
        w.U32(table.Version);
        w.Time(table.IssuedAt);
        w.List(table.Rules, static (rule, w) =>
        {
            w.Ascii(rule.Sector);
            w.Ascii(rule.Region);
            w.Ascii(rule.Provider.Value);
        });
        if (table._severalJobs is { } rule)
        {
            w.U8((byte)rule);
        }
    }
}
