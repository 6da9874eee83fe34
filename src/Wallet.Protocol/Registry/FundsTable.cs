namespace Wallet.Protocol.Registry;

/// <summary>
/// The accreditation body's signed, versioned funds table: which fund each contribution source credits (for example
/// the training levy to <c>training</c>). A source without a row credits the general fund. Published through the
/// scheme's operator and logged, so the scheme, wallets and auditors read the same version.
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md section 5.22. Signature domain "PB1/funds-table" v1 over the body; rows strictly ascending by source,
/// at most one per source.
/// </remarks>
public sealed class FundsTable : SignedProtocolMessage<FundsTable>
{
    /// <summary>Encoding version.</summary>
    public const byte EncodingVersion = 1;

    /// <summary>The fund a source without a row credits.</summary>
    public const string GeneralFund = KeysetDescriptor.GeneralFund;

    /// <summary>Most rows per table.</summary>
    public const int MaxRules = 255;

    private static readonly SignedMessageCodec<FundsTable> Codec = RegisterSigned("funds table", EncodingVersion, "PB1/funds-table", ReadFields, static (m, w) => WriteBody(w, m.Version, m.IssuedAt, m.Rules));

    private FundsTable(uint version, DateTimeOffset issuedAt, ImmutableArray<FundRule> rules, byte[] signature)
        : base(signature)
    {
        (Version, IssuedAt, Rules) = (version, issuedAt, rules);
    }

    /// <summary>The table version.</summary>
    public uint Version { get; }

    /// <summary>When it takes effect (whole seconds).</summary>
    public DateTimeOffset IssuedAt { get; }

    /// <summary>The rows, ascending by source.</summary>
    public ImmutableArray<FundRule> Rules { get; }

    /// <summary>Builds and signs a table.</summary>
    /// <param name="version">The version.</param>
    /// <param name="issuedAt">When it takes effect; kept to the second.</param>
    /// <param name="rules">The rows, one per source at most.</param>
    /// <param name="signingKey">The accreditation body's key.</param>
    /// <returns>The signed table.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">A source repeats or is undefined, a fund is not a fund token, or there are too many rows.</exception>
    public static FundsTable Sign(uint version, DateTimeOffset issuedAt, IEnumerable<FundRule> rules, Ed25519SigningKey signingKey)
    {
        ArgumentNullException.ThrowIfNull(rules);
        ArgumentNullException.ThrowIfNull(signingKey);
        var sorted = Canonical(rules, nameof(rules));
        var at = DateTimeOffset.FromUnixTimeSeconds(issuedAt.ToUnixTimeSeconds());
        return new FundsTable(version, at, sorted, Codec.Sign(new FundsTable(version, at, sorted, []), signingKey));
    }

    /// <summary>Checks the accreditation body's signature.</summary>
    /// <param name="accreditationKey">The body's public key.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="accreditationKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey accreditationKey) => IsSignedBy(accreditationKey ?? throw new ArgumentNullException(nameof(accreditationKey)));

    /// <summary>The fund a contribution source credits under this table.</summary>
    /// <param name="source">The source.</param>
    /// <returns>The row's fund, or <see cref="GeneralFund"/> when the source has no row.</returns>
    public string Resolve(ContributionSource source) => Rules.FirstOrDefault(r => r.Source == source)?.Fund ?? GeneralFund;

    /// <summary>Every fund the table names, and the general fund, in ordinal order.</summary>
    /// <returns>The funds.</returns>
    public IReadOnlyList<string> Funds() => [.. Rules.Select(r => r.Fund).Append(GeneralFund).Distinct(StringComparer.Ordinal).Order(StringComparer.Ordinal)];

    private static ImmutableArray<FundRule> Canonical(IEnumerable<FundRule> rules, string paramName)
    {
        var sorted = rules.OrderBy(r => r?.Source).ToImmutableArray();
        if (sorted.Length > MaxRules)
        {
            throw new ArgumentException("Too many rules.", paramName);
        }

        for (int i = 0; i < sorted.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(sorted[i], paramName);
            if (!Enum.IsDefined(sorted[i].Source))
            {
                throw new ArgumentException("Unknown contribution source.", paramName);
            }

            // The ledger keys a worker's sub-balance "account/fund", so a fund is a token without '/'.
            LedgerAccount.RequireFund(sorted[i].Fund, paramName);
            if (i > 0 && sorted[i - 1].Source == sorted[i].Source)
            {
                throw new ArgumentException("Each source appears once.", paramName);
            }
        }

        return sorted;
    }

    private static FundsTable ReadFields(ref ProtocolReader r)
    {
        uint version = r.U32("table_version");
        var at = r.Time("issued_at");
        var rules = r.List("rules", MaxRules, static (ref ProtocolReader r) => new FundRule((ContributionSource)r.U8("source"), r.Ascii("fund")));
        var canonical = Canonical(rules, "rules");
        if (!canonical.SequenceEqual(rules))
        {
            throw new ProtocolFormatException("Rules are not in canonical order.");
        }

        return new FundsTable(version, at, canonical, r.Signature());
    }

    private static void WriteBody(ProtocolWriter w, uint version, DateTimeOffset issuedAt, ImmutableArray<FundRule> rules)
    {
        w.U32(version);
        w.Time(issuedAt);
        w.List(rules, static (rule, w) =>
        {
            w.U8((byte)rule.Source);
            w.Ascii(rule.Fund);
        });
    }
}
