namespace Wallet.Protocol.Schemes;

/// <summary>
/// The scheme's side of the funds table (docs/PROTOCOL.md 5.22): publishing a version signed by the accreditation body
/// (checked and logged), listing the published versions, and the fund a contribution source credits now. The tables
/// live only in the log; they are read from it once and kept in memory, since every contribution asks.
/// </summary>
internal sealed class FundsTableHandler(SchemeContext context, ILogRecordStore logRecords)
{
    private volatile FundsTable[]? _tables;

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

        await context.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            var existing = _tables ?? await ReadAsync(cancellationToken).ConfigureAwait(false);
            if (existing.Length > 0 && (existing[^1].Version >= table.Version || existing[^1].IssuedAt >= table.IssuedAt))
            {
                _tables = existing;
                return false;
            }

            await context.AppendLogOnceAsync($"ft-{table.Version}", LogEntry.ForFundsTable(table), cancellationToken).ConfigureAwait(false);
            _tables = [.. existing, table];
            return true;
        }
        finally
        {
            context.Gate.Release();
        }
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
        if (_tables is { } tables)
        {
            return tables;
        }

        await context.Gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return _tables ??= await ReadAsync(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            context.Gate.Release();
        }
    }

    // Once per scheme object: the log is scanned for the published tables.
    private async Task<FundsTable[]> ReadAsync(CancellationToken cancellationToken)
    {
        ulong size = await context.Log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<FundsTable>();
        for (ulong i = 0; i < size; i++)
        {
            if (await logRecords.GetLogEntryAsync(i, cancellationToken).ConfigureAwait(false) is { Kind: LogEntryKind.FundsTablePublished } entry)
            {
                found.Add(entry.FundsTable!);
            }
        }

        return [.. found];
    }
}
