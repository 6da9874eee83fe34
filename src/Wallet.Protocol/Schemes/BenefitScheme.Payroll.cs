namespace Wallet.Protocol.Schemes;

// Payroll at volume (docs/PROTOCOL.md 5.21): one call, many contribution lines, one ledger transaction.
public sealed partial class BenefitScheme
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> or an item of it is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="lines"/> is empty.</exception>
    public Task<IReadOnlyList<PayrollLineResult>> ContributeBatchAsync(IReadOnlyList<PayrollLine> lines, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count == 0)
        {
            throw new ArgumentException("A payroll batch has at least one line.", nameof(lines));
        }

        foreach (var line in lines)
        {
            ArgumentNullException.ThrowIfNull(line, nameof(lines));
        }

        // One transaction for the whole batch when the stores share a database: the account checks read on its
        // connection, and the contribution records and the ledger's entries commit together.
        return _context.InTransactionAsync(() => ContributeBatchCoreAsync(lines, cancellationToken), cancellationToken);
    }

    private async Task<IReadOnlyList<PayrollLineResult>> ContributeBatchCoreAsync(IReadOnlyList<PayrollLine> lines, CancellationToken cancellationToken)
    {
        var results = new PayrollLineResult[lines.Count];
        var ledgerLines = new List<ContributionLine>(lines.Count);
        var positions = new List<int>(lines.Count);
        // One store call for every worker the batch credits.
        var registered = await _store.FindRegisteredAccountsAsync(
            lines.Where(l => !l.Amount.IsZero).Select(l => l.Worker).ToHashSet(),
            cancellationToken).ConfigureAwait(false);
        for (int i = 0; i < lines.Count; i++)
        {
            var line = lines[i];
            if (line.Amount.IsZero)
            {
                results[i] = new PayrollLineResult(PayrollLineStatus.ZeroAmount, false);
                continue;
            }

            if (!registered.Contains(line.Worker))
            {
                results[i] = new PayrollLineResult(PayrollLineStatus.UnknownAccount, false);
                continue;
            }

            ledgerLines.Add(new ContributionLine(line.LedgerKey, line.Source, line.Worker, line.Amount, await FundOfAsync(line.Source, cancellationToken).ConfigureAwait(false)));
            positions.Add(i);
        }

        if (ledgerLines.Count > 0)
        {
            // The records go first (docs/PROTOCOL.md 5.23): without a shared transaction a crash between the two leaves
            // records the statement does not show.
            await RecordContributionsAsync([.. positions.Select((i, j) => Record(lines[i].LedgerKey, lines[i].Contributor, lines[i].Source, lines[i].Worker, lines[i].Amount, ledgerLines[j].Fund))], cancellationToken).ConfigureAwait(false);
            var applied = await _context.Ledger.ContributeBatchAsync(ledgerLines, cancellationToken).ConfigureAwait(false);
            for (int j = 0; j < applied.Count; j++)
            {
                results[positions[j]] = new PayrollLineResult(LineStatus(applied[j].Status), applied[j].IsReplay);
            }
        }

        return results;
    }

    private static PayrollLineStatus LineStatus(LedgerStatus status) => status switch
    {
        LedgerStatus.Applied => PayrollLineStatus.Applied,
        LedgerStatus.IdempotencyKeyReused => PayrollLineStatus.LineKeyReused,
        LedgerStatus.AmountOverflow => PayrollLineStatus.AmountOverflow,
        _ => throw new InvalidOperationException($"A contribution cannot end {status}."),
    };
}
