using Wallet.Audit.Tool.Verify;
using Wallet.Protocol.Registry;

namespace Wallet.Audit.Tool.Report;

/// <summary>Builds the report's model from a mirror and what verify found: nothing but the public log and checkpoints.</summary>
internal static class ReportBuilder
{
    private const string FundKind = "fund";
    private const string CategoryKind = "provider category";
    private const string PoolName = "(default pool)";

    public static ReportModel Build(MirrorSnapshot mirror, VerifyOutcome outcome, DateTimeOffset generatedAt)
    {
        IReadOnlyList<LogEntry> entries = outcome.Entries;
        var descriptors = new Dictionary<KeysetId, KeysetDescriptor>();
        foreach (var entry in entries.Where(e => e.Kind == LogEntryKind.KeysetAnnounced))
        {
            descriptors.TryAdd(entry.Keyset!.Descriptor.Id, entry.Keyset.Descriptor);
        }

        WitnessPolicy? policy = mirror.Anchors.Policy();
        var checkpoints = mirror.Checkpoints.Select(c => CheckpointRow(c, policy)).ToList();
        var latest = mirror.Checkpoints.LastOrDefault();
        var cosignedLatest = checkpoints.LastOrDefault()?.CosignedBy ?? [];
        return new ReportModel(
            mirror.Anchors.Origin,
            mirror.Anchors.LogVerifierKey,
            generatedAt,
            new ReportModel.SummaryRow((ulong)mirror.Entries.Count, mirror.Checkpoints.Count, latest?.TreeSize ?? 0, latest?.RootHash.ToString() ?? "", mirror.Forks.Count),
            [.. descriptors.Values.Select(d => new ReportModel.KeysetRow(d.Id.ToString(), d.Epoch, d.Fund, d.Denomination.MinorUnits, d.Mode.ToString(), d.WithdrawFrom, d.WithdrawUntil, d.SpendUntil, d.DepositUntil))],
            Activity(entries, descriptors),
            [.. outcome.Audit.Keysets.Select(k => new ReportModel.AnonymityRow(k.Keyset.ToString(), descriptors.TryGetValue(k.Keyset, out var d) ? d.Fund : "", k.Issued, k.Spent, k.Outstanding, k.Reversed))],
            Flows(entries, descriptors),
            checkpoints,
            [.. mirror.Anchors.Witnesses.Select(w => NoteVerifier.Parse(w)).Select(v => new ReportModel.WitnessRow(v.Name, v.VerifierKey, cosignedLatest.Contains(v.Name)))],
            mirror.Anchors.Quorum,
            [.. outcome.Checks.Select(c => new ReportModel.CheckRow(c.Name, c.Passed, c.Detail))]);
    }

    private static ReportModel.CheckpointRow CheckpointRow(Mirror.StoredCheckpoint stored, WitnessPolicy? policy)
    {
        IReadOnlyList<string> signers = [];
        IReadOnlyList<string> cosigned = [];
        try
        {
            SignedNote note = SignedNote.Parse(stored.Note);
            signers = [.. note.Signatures.Select(s => s.Name).Distinct(StringComparer.Ordinal)];
            cosigned = policy is null ? [] : [.. policy.Evaluate(note).CosignedBy];
        }
        catch (NoteFormatException)
        {
            // An unreadable note is a failed check; the table shows no signer for it.
        }

        return new ReportModel.CheckpointRow(stored.Sequence, stored.TreeSize, stored.RootHash.ToString(), stored.FetchedAt, signers, cosigned);
    }

    private static List<ReportModel.ActivitySeries> Activity(IReadOnlyList<LogEntry> entries, Dictionary<KeysetId, KeysetDescriptor> descriptors)
    {
        var days = descriptors.Keys.ToDictionary(k => k, _ => new SortedDictionary<DateOnly, long[]>());
        void Add(KeysetId keyset, DateTimeOffset at, int column, long count)
        {
            if (days.TryGetValue(keyset, out var series))
            {
                var day = DateOnly.FromDateTime(at.UtcDateTime);
                if (!series.TryGetValue(day, out long[]? counts))
                {
                    series[day] = counts = new long[3];
                }

                counts[column] += count;
            }
        }

        foreach (var entry in entries)
        {
            switch (entry.Kind)
            {
                case LogEntryKind.CoinsIssued:
                    foreach (var (keyset, count) in entry.Issuance!.Counts)
                    {
                        Add(keyset, entry.Issuance.IssuedAt, 0, count);
                    }

                    break;
                case LogEntryKind.CoinsSpent:
                    foreach (var coin in entry.SpentCoins!.Coins)
                    {
                        Add(coin.Keyset, entry.SpentCoins.SpentAt, 1, 1);
                    }

                    break;
                case LogEntryKind.CoinsSwapped:
                    foreach (var coin in entry.Swap!.Inputs)
                    {
                        Add(coin.Keyset, entry.Swap.SwappedAt, 1, 1);
                    }

                    foreach (var (keyset, count) in entry.Swap.Outputs)
                    {
                        Add(keyset, entry.Swap.SwappedAt, 0, count);
                    }

                    break;
                case LogEntryKind.KeysetExpired when descriptors.TryGetValue(entry.Expiry!.Keyset, out var d) && d.Denomination.MinorUnits > 0:
                    Add(d.Id, entry.Expiry.ExpiredAt, 2, entry.Expiry.Value.MinorUnits / d.Denomination.MinorUnits);
                    break;
            }
        }

        return [.. descriptors.Values.Select(d => new ReportModel.ActivitySeries(
            d.Id.ToString(), d.Fund, d.Denomination.MinorUnits, [.. days[d.Id].Select(p => new ReportModel.ActivityPoint(p.Key, p.Value[0], p.Value[1], p.Value[2]))]))];
    }

    private static List<ReportModel.FlowRow> Flows(IReadOnlyList<LogEntry> entries, Dictionary<KeysetId, KeysetDescriptor> descriptors)
    {
        var funds = new SortedDictionary<string, long[]>(StringComparer.Ordinal);
        var categories = new SortedDictionary<string, long>(StringComparer.Ordinal);
        AccreditationRegistry? registry = null;
        void Fund(string fund, int column, long value)
        {
            if (!funds.TryGetValue(fund, out long[]? values))
            {
                funds[fund] = values = new long[4];
            }

            values[column] += value;
        }

        void Keyset(KeysetId keyset, int column, long coins)
        {
            if (descriptors.TryGetValue(keyset, out var d))
            {
                Fund(d.Fund, column, coins * d.Denomination.MinorUnits);
            }
        }

        foreach (var entry in entries)
        {
            switch (entry.Kind)
            {
                case LogEntryKind.RegistryPublished:
                    registry = entry.Registry;
                    break;
                case LogEntryKind.CoinsIssued:
                    foreach (var (keyset, count) in entry.Issuance!.Counts)
                    {
                        Keyset(keyset, 0, count);
                    }

                    break;
                case LogEntryKind.CoinsSpent:
                    foreach (var coin in entry.SpentCoins!.Coins)
                    {
                        Keyset(coin.Keyset, 1, 1);
                    }

                    break;
                case LogEntryKind.CoinsSwapped:
                    foreach (var coin in entry.Swap!.Inputs)
                    {
                        Keyset(coin.Keyset, 1, 1);
                    }

                    foreach (var (keyset, count) in entry.Swap.Outputs)
                    {
                        Keyset(keyset, 0, count);
                    }

                    break;
                case LogEntryKind.KeysetExpired when descriptors.TryGetValue(entry.Expiry!.Keyset, out var d):
                    Fund(d.Fund, 2, entry.Expiry.Value.MinorUnits);
                    break;
                case LogEntryKind.DefaultAllocated:
                    var allocation = entry.Allocation!;
                    string fund = allocation.Keyset is { } k && descriptors.TryGetValue(k, out var expired) ? expired.Fund : KeysetDescriptor.GeneralFund;
                    Fund(fund, 3, allocation.Total.MinorUnits);
                    foreach (var share in allocation.Shares)
                    {
                        string category = registry?.Find(share.Provider) is { } provider && !provider.Categories.IsEmpty
                            ? string.Join(", ", provider.Categories)
                            : "(not in the registry)";
                        categories[category] = categories.GetValueOrDefault(category) + share.Amount.MinorUnits;
                    }

                    if (!allocation.Pooled.IsZero)
                    {
                        categories[PoolName] = categories.GetValueOrDefault(PoolName) + allocation.Pooled.MinorUnits;
                    }

                    break;
            }
        }

        // Categories come from the latest registry, with the value default allocation directed to them.
        if (registry is not null)
        {
            foreach (var provider in registry.Providers)
            {
                categories.TryAdd(string.Join(", ", provider.Categories), 0);
            }
        }

        IReadOnlyList<string> Providers(string category) =>
            registry is null ? [] : [.. registry.Providers.Where(p => string.Equals(string.Join(", ", p.Categories), category, StringComparison.Ordinal)).Select(p => p.Name)];
        return
        [
            .. funds.Select(f => new ReportModel.FlowRow(FundKind, f.Key, f.Value[0], f.Value[1], f.Value[2], f.Value[3], [])),
            .. categories.Select(c => new ReportModel.FlowRow(CategoryKind, c.Key, 0, 0, 0, c.Value, Providers(c.Key))),
        ];
    }
}
