namespace Wallet.Audit.Tool.Report;

/// <summary>
/// Everything the HTML report shows, as plain values: built from a mirror by <see cref="ReportBuilder"/>, rendered by
/// <see cref="HtmlReport"/>. Strings that come from the log (registry names, categories, funds) are raw here; the
/// renderer encodes them.
/// </summary>
internal sealed record ReportModel(
    string Origin,
    string LogVerifierKey,
    DateTimeOffset GeneratedAt,
    ReportModel.SummaryRow Summary,
    IReadOnlyList<ReportModel.KeysetRow> Keysets,
    IReadOnlyList<ReportModel.ActivitySeries> Activity,
    IReadOnlyList<ReportModel.AnonymityRow> Anonymity,
    IReadOnlyList<ReportModel.FlowRow> Flows,
    IReadOnlyList<ReportModel.CheckpointRow> Checkpoints,
    IReadOnlyList<ReportModel.WitnessRow> Witnesses,
    int Quorum,
    IReadOnlyList<ReportModel.CheckRow> Checks)
{
    /// <summary>Whether every check passed.</summary>
    public bool Passed => Checks.All(c => c.Passed);

    /// <summary>Totals for the summary section.</summary>
    public sealed record SummaryRow(ulong Entries, int CheckpointCount, ulong TreeSize, string Root, int Forks);

    /// <summary>A keyset and its windows, from its announcement in the log.</summary>
    public sealed record KeysetRow(string Id, uint Epoch, string Fund, long Denomination, string Mode, DateTimeOffset WithdrawFrom, DateTimeOffset WithdrawUntil, DateTimeOffset SpendUntil, DateTimeOffset DepositUntil);

    /// <summary>Coins of one keyset issued, spent and expired per day of the log records' coarse times.</summary>
    public sealed record ActivitySeries(string Keyset, string Fund, long Denomination, IReadOnlyList<ActivityPoint> Points);

    /// <summary>One day of a keyset's activity, in coins.</summary>
    public sealed record ActivityPoint(DateOnly Day, long Issued, long Spent, long Expired);

    /// <summary>A keyset's anonymity set as the log measures it: coins issued, spent and outstanding.</summary>
    public sealed record AnonymityRow(string Keyset, string Fund, long Issued, long Spent, long Outstanding, long Reversed);

    /// <summary>Value (minor units) through one fund or one provider category.</summary>
    /// <param name="Kind">"fund" or "provider category".</param>
    /// <param name="Name">The fund or the category.</param>
    /// <param name="Issued">Value issued into the fund (withdrawals and swap outputs).</param>
    /// <param name="Spent">Value spent (deposits, swap and recovery inputs).</param>
    /// <param name="Expired">Value expired unspent.</param>
    /// <param name="Allocated">Value directed by default allocation (per category: to its accredited providers).</param>
    /// <param name="Providers">The names of the accredited providers in the category (latest registry); none for a fund.</param>
    public sealed record FlowRow(string Kind, string Name, long Issued, long Spent, long Expired, long Allocated, IReadOnlyList<string> Providers);

    /// <summary>A mirrored checkpoint and who signed it.</summary>
    public sealed record CheckpointRow(long Sequence, ulong TreeSize, string Root, DateTimeOffset FetchedAt, IReadOnlyList<string> Signers, IReadOnlyList<string> CosignedBy);

    /// <summary>A configured witness and whether it cosigned the latest checkpoint.</summary>
    public sealed record WitnessRow(string Name, string VerifierKey, bool CosignedLatest);

    /// <summary>One check and its outcome.</summary>
    public sealed record CheckRow(string Name, bool Passed, string Detail);
}
