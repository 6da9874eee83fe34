namespace Wallet.Protocol.Audit;

/// <summary>
/// What a log prefix implies about the ledger, and its reconciliation with a ledger checkpoint (docs/PROTOCOL.md
/// 5.15): outstanding value per keyset and per fund, and the provider payable, payouts, default pool and expired totals. The
/// auditor runs it over the whole log; the scheme runs the same code over its own log before it signs a checkpoint, so
/// an honest scheme never logs one the auditor flags.
/// </summary>
internal sealed class LedgerReconciliation
{
    private readonly Dictionary<KeysetId, KeysetDescriptor> _keysets = [];
    private readonly Dictionary<KeysetId, long> _outstanding = [];
    private readonly HashSet<string> _tableFunds = new(StringComparer.Ordinal);
    private readonly PayableTerms _payable = new();
    private long _pool;
    private long _expired;

    /// <summary>The last ledger checkpoint of the prefix, or null before the first.</summary>
    public LedgerCheckpointRecord? Last { get; private set; }

    /// <summary>The providers' payable the prefix gives, term by term (docs/PROTOCOL.md 5.18).</summary>
    public PayableTerms Payable => _payable;

    /// <summary>The keysets announced in the prefix (the first announcement of each id).</summary>
    public IReadOnlyDictionary<KeysetId, KeysetDescriptor> Keysets => _keysets;

    /// <summary>Folds one entry of the log into the implied totals (a checkpoint only becomes <see cref="Last"/>).</summary>
    public void Observe(LogEntry entry)
    {
        switch (entry.Kind)
        {
            case LogEntryKind.KeysetAnnounced:
                _keysets.TryAdd(entry.Keyset!.Descriptor.Id, entry.Keyset.Descriptor);
                break;
            case LogEntryKind.CoinsIssued:
                foreach (var (keyset, count) in entry.Issuance!.Counts)
                {
                    Move(keyset, count);
                }

                break;
            case LogEntryKind.CoinsSpent:
                foreach (var coin in entry.SpentCoins!.Coins)
                {
                    _payable.Deposit(Move(coin.Keyset, -1));
                }

                break;
            case LogEntryKind.CoinsSwapped:
                foreach (var coin in entry.Swap!.Inputs)
                {
                    Move(coin.Keyset, -1);
                }

                foreach (var (keyset, count) in entry.Swap.Outputs)
                {
                    Move(keyset, count);
                }

                break;
            case LogEntryKind.KeysetExpired:
                _outstanding[entry.Expiry!.Keyset] = _outstanding.GetValueOrDefault(entry.Expiry.Keyset) - entry.Expiry.Value.MinorUnits;
                _expired += entry.Expiry.Value.MinorUnits;
                break;
            case LogEntryKind.DefaultAllocated:
                var allocation = entry.Allocation!;
                long shares = allocation.Shares.Sum(s => s.Amount.MinorUnits);
                _payable.Allocate(shares);
                _pool += allocation.Pooled.MinorUnits;
                if (allocation.Source == DefaultAllocationSource.ExpiredKeyset)
                {
                    _expired -= shares + allocation.Pooled.MinorUnits;
                }

                break;
            case LogEntryKind.RefundIssued:
                // docs/PROTOCOL.md 5.17: the provider's payable pays for new coins.
                _payable.Refund(entry.Refund!.Amount.MinorUnits);
                foreach (var (keyset, count) in entry.Refund.Counts)
                {
                    Move(keyset, count);
                }

                break;
            case LogEntryKind.ProvidersPaidOut:
                _payable.PayOut(entry.ProvidersPaidOut!.Total.MinorUnits);
                break;
            case LogEntryKind.FundsTablePublished:
                _tableFunds.UnionWith(entry.FundsTable!.Funds());
                break;
            case LogEntryKind.LedgerCheckpoint:
                Last = entry.LedgerCheckpoint;
                break;
        }

        // Registries and allocation tables move no value; a reversal returns value the log never counted as issued.
    }

    /// <summary>
    /// The ways <paramref name="record"/>, logged at index <paramref name="at"/>, disagrees with the prefix folded so far
    /// (its signature aside): its place (sequence, log size, journal), its own balance, and each total the log determines.
    /// </summary>
    public List<(AuditViolationKind Kind, string Detail)> Check(ulong at, LedgerCheckpointRecord record)
    {
        var found = new List<(AuditViolationKind, string)>();
        ulong expectedSequence = (Last?.Sequence ?? 0) + 1;
        if (record.Sequence != expectedSequence || record.LogSize != at)
        {
            found.Add((AuditViolationKind.LedgerCheckpointOutOfOrder, $"Ledger checkpoint #{record.Sequence} for log size {record.LogSize} at index {at}; expected #{expectedSequence} for size {at}."));
        }

        if (Last is { } last && (record.JournalEntries < last.JournalEntries
            || (record.JournalEntries == last.JournalEntries && !record.JournalHeadHash.SequenceEqual(last.JournalHeadHash))))
        {
            found.Add((AuditViolationKind.LedgerCheckpointJournalRewound, $"Ledger checkpoint #{record.Sequence}: journal of {record.JournalEntries} entries after one of {last.JournalEntries} (#{last.Sequence}) that it does not extend."));
        }

        CheckBalance(record, found);
        CheckKeysets(record, found);
        CheckWorkerFunds(record, found);
        CheckTotal(record, LedgerTotalKind.ProviderPayable, _payable.Payable, $"deposits and allocations to providers less refunds and payouts ({_payable})", found);
        CheckTotal(record, LedgerTotalKind.Payouts, _payable.Payouts, "payouts", found);
        CheckTotal(record, LedgerTotalKind.DefaultPool, _pool, "pooled allocations", found);
        CheckTotal(record, LedgerTotalKind.Expired, _expired, "expiries less allocated expired value", found);
        return found;
    }

    // The workers' totals per fund (version 2 records): they add up to the worker kinds, none is negative, and each fund
    // is one the log named before (a funds table's or a keyset's). Contributions are not logged, so the values themselves
    // are the scheme's statement; these are the checks the log allows.
    private void CheckWorkerFunds(LedgerCheckpointRecord record, List<(AuditViolationKind, string)> found)
    {
        if (!record.HasWorkerFunds)
        {
            return;
        }

        long general = 0;
        Int128 restricted = 0;
        foreach (var (fund, balance) in record.WorkerFunds)
        {
            if (fund == KeysetDescriptor.GeneralFund)
            {
                general = balance;
            }
            else
            {
                restricted += balance;
                if (!_tableFunds.Contains(fund) && !_keysets.Values.Any(k => k.Fund == fund))
                {
                    found.Add((AuditViolationKind.LedgerCheckpointUnknownWorkerFund, $"Ledger checkpoint #{record.Sequence}: workers hold {balance} in fund {fund}, which no funds table or keyset before it names."));
                }
            }

            if (balance < 0)
            {
                found.Add((AuditViolationKind.LedgerCheckpointWorkerFundNegative, $"Ledger checkpoint #{record.Sequence}: workers' total in fund {fund} is {balance}."));
            }
        }

        if (general != record.TotalOf(LedgerTotalKind.Worker) || restricted != record.TotalOf(LedgerTotalKind.WorkerFund))
        {
            found.Add((AuditViolationKind.LedgerCheckpointWorkerFundsMismatch, $"Ledger checkpoint #{record.Sequence}: workers' totals per fund give general {general} and restricted {restricted}; the worker kinds give {record.TotalOf(LedgerTotalKind.Worker)} and {record.TotalOf(LedgerTotalKind.WorkerFund)}."));
        }
    }

    private static void CheckBalance(LedgerCheckpointRecord record, List<(AuditViolationKind, string)> found)
    {
        Int128 sum = 0;
        foreach (var (_, balance) in record.Totals)
        {
            sum += balance;
        }

        Int128 keysets = 0, funds = 0;
        foreach (var (_, value) in record.Keysets)
        {
            keysets += value.MinorUnits;
        }

        foreach (var (_, value) in record.Funds)
        {
            funds += value.MinorUnits;
        }

        if (sum != 0 || keysets != record.TotalOf(LedgerTotalKind.Outstanding) || funds != keysets)
        {
            found.Add((AuditViolationKind.LedgerCheckpointUnbalanced, $"Ledger checkpoint #{record.Sequence}: account kinds sum to {sum}, outstanding {record.TotalOf(LedgerTotalKind.Outstanding)}, per keyset {keysets}, per fund {funds}."));
        }
    }

    private void CheckKeysets(LedgerCheckpointRecord record, List<(AuditViolationKind, string)> found)
    {
        var claimed = record.Keysets.ToDictionary(k => k.Keyset, k => k.Outstanding.MinorUnits);
        foreach (var keyset in claimed.Keys.Union(_outstanding.Keys).Order())
        {
            long implied = _outstanding.GetValueOrDefault(keyset);
            long stated = claimed.GetValueOrDefault(keyset);
            if (implied != stated)
            {
                found.Add((AuditViolationKind.LedgerCheckpointKeysetMismatch, $"Ledger checkpoint #{record.Sequence}: keyset {keyset} has {stated} outstanding; the log gives {implied}."));
            }
        }

        var funds = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var (keyset, value) in _outstanding)
        {
            if (value != 0 && _keysets.TryGetValue(keyset, out var descriptor))
            {
                string fund = descriptor.Fund;
                funds[fund] = funds.GetValueOrDefault(fund) + value;
            }
        }

        var statedFunds = record.Funds.ToDictionary(f => f.Fund, f => f.Outstanding.MinorUnits, StringComparer.Ordinal);
        foreach (var fund in statedFunds.Keys.Union(funds.Keys).Order(StringComparer.Ordinal))
        {
            if (funds.GetValueOrDefault(fund) != statedFunds.GetValueOrDefault(fund))
            {
                found.Add((AuditViolationKind.LedgerCheckpointFundMismatch, $"Ledger checkpoint #{record.Sequence}: fund {fund} has {statedFunds.GetValueOrDefault(fund)} outstanding; the log gives {funds.GetValueOrDefault(fund)}."));
            }
        }
    }

    private static void CheckTotal(LedgerCheckpointRecord record, LedgerTotalKind kind, long implied, string what, List<(AuditViolationKind, string)> found)
    {
        if (record.TotalOf(kind) != implied)
        {
            found.Add((AuditViolationKind.LedgerCheckpointTotalMismatch, $"Ledger checkpoint #{record.Sequence}: {kind} total {record.TotalOf(kind)}; the log's {what} give {implied}."));
        }
    }

    // Values a keyset's coins by its announced denomination; coins of an unannounced keyset cannot be valued (the
    // auditor reports them as UnknownKeyset) and are left out. Returns the value moved out (positive) or in.
    private long Move(KeysetId keyset, long coins)
    {
        if (!_keysets.TryGetValue(keyset, out var descriptor))
        {
            return 0;
        }

        long value = coins * descriptor.Denomination.MinorUnits;
        _outstanding[keyset] = _outstanding.GetValueOrDefault(keyset) + value;
        return -value;
    }
}
