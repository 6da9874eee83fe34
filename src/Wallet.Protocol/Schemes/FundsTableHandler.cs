namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme's side of the funds table (docs/PROTOCOL.md 5.22): publishing a version signed by the accreditation body
/// (checked and logged), listing the published versions, and the fund a contribution source credits now. The tables
/// live only in the log; they are kept in memory, since every contribution asks, with the log size they were read at.
/// While this scheme object is the only writer (it kept its own write lock) nothing else can publish, so that copy is
/// complete; when several nodes share the log (a supplied lock), each read first scans the entries other nodes appended
/// since (docs/scaling.md "Several nodes").
/// </summary>
internal sealed class FundsTableHandler(SchemeContext context, ILogRecordStore logRecords)
{
    private volatile Scanned? _scanned;

    /// <summary>Publishes a funds table signed by the accreditation body: appended to the log.</summary>
    /// <param name="table">The signed table.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the signature is invalid, or the version or time does not increase over the last published table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    public async Task<bool> PublishAsync(FundsTable table, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!table.Verify(context.AccreditationKey))
        {
            return false;
        }

        return await context.UnderGateAsync<bool>(async () =>
        {
            var existing = (await ScanAsync(_scanned, cancellationToken).ConfigureAwait(false)).Tables;
            if (existing.Length > 0 && (existing[^1].Version >= table.Version || existing[^1].IssuedAt >= table.IssuedAt))
            {
                return false;
            }

            var (index, _) = await context.AppendLogOnceAsync($"ft-{table.Version}", LogEntry.ForFundsTable(table), cancellationToken).ConfigureAwait(false);
            Keep(new Scanned([.. existing, table], index + 1));
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every published funds table, oldest first.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The tables.</returns>
    public async Task<IReadOnlyList<FundsTable>> ListAsync(CancellationToken cancellationToken) => await TablesAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>The fund a contribution from a source credits now: the table in force (the latest issued at or before now), or general without one.</summary>
    /// <param name="source">The source.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The fund token.</returns>
    public async ValueTask<string> FundAsync(ContributionSource source, CancellationToken cancellationToken)
    {
        var tables = await TablesAsync(cancellationToken).ConfigureAwait(false);
        var now = context.Time.GetUtcNow();
        return tables.LastOrDefault(t => t.IssuedAt <= now)?.Resolve(source) ?? FundsTable.GeneralFund;
    }

    private async ValueTask<FundsTable[]> TablesAsync(CancellationToken cancellationToken)
    {
        var scanned = _scanned;
        if (scanned is not null && context.IsSoleWriter)
        {
            // This object is the log's only writer, and its own publications update the copy.
            return scanned.Tables;
        }

        // Entries below the log's size are final, so the scan needs no lock; a concurrent scan reaches the same tables.
        return (await ScanAsync(scanned, cancellationToken).ConfigureAwait(false)).Tables;
    }

    // The tables with those the log gained since `from` was read (all of them without one).
    private async ValueTask<Scanned> ScanAsync(Scanned? from, CancellationToken cancellationToken)
    {
        ulong size = await context.Log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        ulong start = from?.LogSize ?? 0;
        if (from is not null && size <= start)
        {
            return from;
        }

        var found = new List<FundsTable>(from?.Tables ?? []);
        for (ulong i = start; i < size; i++)
        {
            if (await logRecords.GetLogEntryAsync(i, cancellationToken).ConfigureAwait(false) is { Kind: LogEntryKind.FundsTablePublished } entry)
            {
                found.Add(entry.FundsTable!);
            }
        }

        var scanned = new Scanned([.. found], size);
        Keep(scanned);
        return scanned;
    }

    // Keeps the copy read at the larger log size: the log only grows, so that copy holds the other.
    private void Keep(Scanned scanned)
    {
        var current = _scanned;
        while ((current is null || current.LogSize < scanned.LogSize)
            && Interlocked.CompareExchange(ref _scanned, scanned, current) is var seen && !ReferenceEquals(seen, current))
        {
            current = seen;
        }
    }

    // The published tables, oldest first, as found in the first LogSize entries of the log.
    private sealed record Scanned(FundsTable[] Tables, ulong LogSize);
}
