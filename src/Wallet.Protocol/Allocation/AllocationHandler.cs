namespace Wallet.Protocol.Allocation;

/// <summary>
/// The scheme's side of flow 6, expiry and default allocation (DESIGN.md section 3): closing a keyset after its
/// deposit window, publishing the rule table, and applying it to expired value and never-withdrawn balances.
/// </summary>
internal sealed class AllocationHandler(SchemeContext context, IKeysetStore keysets, IRegistryStore registryStore, ILogRecordStore logRecords)
{
    /// <summary>
    /// Closes a keyset after its deposit window (flow 6): the unspent value moves to the expired account in the ledger
    /// and an expiry entry is logged. <see cref="AllocateExpiredAsync"/> then directs that value by the default-allocation table.
    /// </summary>
    /// <param name="keyset">The keyset id.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The expiry record, or null when the keyset is unknown, still depositable, or already closed.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    public async Task<ExpiryRecord?> ExpireKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        var stored = await keysets.GetKeysetAsync(keyset, cancellationToken).ConfigureAwait(false);
        var now = context.Time.GetUtcNow();
        if (stored is null || stored.Announcement.Descriptor.IsDepositable(now))
        {
            return null;
        }

        return await context.UnderGateAsync<ExpiryRecord?>(async () =>
        {
            var ledgerKey = new IdempotencyKey($"x-{keyset}");
            var result = await context.Ledger.ExpireAsync(ledgerKey, keyset, cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return null;
            }

            // A replay still logs: the first attempt may have died between the ledger entry and its log entry.
            long value = result.Entry!.Postings.Where(p => p.Account == LedgerAccount.Expired).Sum(p => p.Delta);
            var record = new ExpiryRecord(keyset, now, Amount.FromMinorUnits(value));
            await context.AppendLedgerLogAsync(ledgerKey, result, LogEntry.ForExpiry(record), cancellationToken).ConfigureAwait(false);
            context.Signers.TryRemove(keyset, out _);
            return result.IsReplay ? null : record;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Publishes a default-allocation table signed by the accreditation body: it is appended to the transparency log,
    /// where wallets, the scheme and auditors all read the same version.
    /// </summary>
    /// <param name="table">The signed table.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>False when the signature is invalid, or the version or time does not increase over the last published table.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    public async Task<bool> PublishAllocationTableAsync(DefaultAllocationTable table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        if (!table.Verify(context.AccreditationKey))
        {
            return false;
        }

        return await context.UnderGateAsync<bool>(async () =>
        {
            var existing = await ListAllocationTablesCoreAsync(cancellationToken).ConfigureAwait(false);
            if (existing.Count > 0 && (existing[^1].Version >= table.Version || existing[^1].IssuedAt > table.IssuedAt))
            {
                return false;
            }

            await context.AppendLogOnceAsync($"t-{table.Version}", LogEntry.ForAllocationTable(table), cancellationToken).ConfigureAwait(false);
            return true;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Every published default-allocation table, oldest first, as read back from the log.</summary>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The tables.</returns>
    public async Task<IReadOnlyList<DefaultAllocationTable>> ListAllocationTablesAsync(CancellationToken cancellationToken = default) =>
        await ListAllocationTablesCoreAsync(cancellationToken).ConfigureAwait(false);

    /// <summary>
    /// Allocates the value an expired keyset took to the expired account: the table in force resolves the provider
    /// from the wildcard row (nobody knows who held the coins, so no worker input applies); if that provider is not
    /// accredited now or does not accept the keyset's fund, the value goes to the default pool. One idempotent ledger
    /// entry, one <see cref="DefaultAllocationRecord"/> in the log.
    /// </summary>
    /// <param name="keyset">The expired keyset.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>
    /// The logged record (the existing one when the keyset was already allocated), or null when the keyset is unknown,
    /// not expired yet, or no table is in force.
    /// </returns>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <remarks>A crash between the ledger entry and the log append is finished by calling again: the ledger replays its entry.</remarks>
    public async Task<DefaultAllocationRecord?> AllocateExpiredAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        return await context.UnderGateAsync<DefaultAllocationRecord?>(async () =>
        {
            var logged = await ReadLogAsync(LogEntryKind.DefaultAllocated, cancellationToken).ConfigureAwait(false);
            var done = logged.Select(e => e.Allocation!).FirstOrDefault(a => a.Source == DefaultAllocationSource.ExpiredKeyset && a.Keyset == keyset);
            if (done is not null)
            {
                return done;
            }

            var stored = await keysets.GetKeysetAsync(keyset, cancellationToken).ConfigureAwait(false);
            var totals = await context.Ledger.GetKeysetAsync(keyset, cancellationToken).ConfigureAwait(false);
            var now = context.Time.GetUtcNow();
            var table = InForce(await ListAllocationTablesCoreAsync(cancellationToken).ConfigureAwait(false), now);
            if (stored is null || !totals.IsExpired || table is null)
            {
                return null;
            }

            var to = await DestinationAsync(table.Resolve(DefaultAllocationTable.Any, DefaultAllocationTable.Any), stored.Announcement.Descriptor.Fund, now, cancellationToken).ConfigureAwait(false);
            var shares = new Dictionary<LedgerAccount, long>();
            if (totals.Expired.MinorUnits > 0)
            {
                var result = await context.Ledger.AllocateDefaultAsync(new IdempotencyKey($"a-{keyset}"), LedgerAccount.Expired, to, totals.Expired, cancellationToken).ConfigureAwait(false);
                if (!result.Succeeded)
                {
                    return null;
                }

                // On a replay the destination is what was committed, even if the registry changed since.
                Accumulate(shares, result.Entry!);
            }

            var record = DefaultAllocationRecord.ForExpiredKeyset(keyset, table.Version, now, Shares(shares), Pooled(shares));
            await context.AppendLogOnceAsync($"a-{keyset}", LogEntry.ForAllocation(record), cancellationToken).ConfigureAwait(false);
            return record;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// Allocates the balances of workers who never withdrew before an epoch closed: each worker's whole balance goes
    /// to the provider the table in force resolves for the worker's (sector, region) — or to the default pool when that
    /// provider is not accredited now — as one idempotent ledger entry per account; a profile of several jobs is split
    /// by the table's <see cref="SeveralJobsRule"/> across the jobs' providers in that one entry (docs/PROTOCOL.md 5.24);
    /// the log receives one record with the totals per provider, never per worker.
    /// </summary>
    /// <param name="round">A token naming the round (e.g. "epoch-1"); a retry with the same round finishes it and logs it once.</param>
    /// <param name="workers">The workers, each once; accounts with nothing left are skipped.</param>
    /// <param name="cancellationToken">Cancels the operation.</param>
    /// <returns>The logged record (the existing one when the round was already logged), or null when no table is in force.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The round is not a token, an account repeats, or a sector or region is not a token.</exception>
    /// <remarks>
    /// Privacy: the scheme already knows every account's balance and the sector and region it uses here; the public
    /// log learns only per-provider totals. A round with a single worker (or a provider that only one worker in the
    /// round defaults to) still reveals that worker's balance to the log's readers, so run one round over every
    /// account when the epoch closes. A worker who wants to choose should spend before the close; what they choose
    /// is never visible here.
    /// </remarks>
    public async Task<DefaultAllocationRecord?> AllocateUnwithdrawnAsync(string round, IReadOnlyList<DefaultAllocationInput> workers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(workers);
        AsciiToken.Validate(round, nameof(round));
        foreach (var worker in workers)
        {
            ArgumentNullException.ThrowIfNull(worker, nameof(workers));
            AsciiToken.Validate(worker.Sector, nameof(workers));
            AsciiToken.Validate(worker.Region, nameof(workers));
        }

        if (workers.Select(w => w.Account).Distinct().Count() != workers.Count)
        {
            throw new ArgumentException("Each account appears once.", nameof(workers));
        }

        return await context.UnderGateAsync<DefaultAllocationRecord?>(async () =>
        {
            var logged = await ReadLogAsync(LogEntryKind.DefaultAllocated, cancellationToken).ConfigureAwait(false);
            var done = logged.Select(e => e.Allocation!).FirstOrDefault(a => a.Source == DefaultAllocationSource.UnwithdrawnBalances && a.Round == round);
            if (done is not null)
            {
                return done;
            }

            var now = context.Time.GetUtcNow();
            var table = InForce(await ListAllocationTablesCoreAsync(cancellationToken).ConfigureAwait(false), now);
            if (table is null)
            {
                return null;
            }

            var shares = new Dictionary<LedgerAccount, long>();
            // A retry must find the entries of funds it already emptied, so every fund a funds table names is asked.
            var tableFunds = (await ReadLogAsync(LogEntryKind.FundsTablePublished, cancellationToken).ConfigureAwait(false)).SelectMany(e => e.FundsTable!.Funds());
            foreach (var worker in workers)
            {
                // Every fund sub-balance is allocated (docs/PROTOCOL.md 5.22): restricted money only to a provider that
                // accepts its fund, else to the pool. The general fund keeps the key it had before funds.
                var funds = await context.Ledger.GetFundBalancesAsync(worker.Account, cancellationToken).ConfigureAwait(false);
                foreach (var fund in funds.Keys.Union(tableFunds, StringComparer.Ordinal).Order(StringComparer.Ordinal))
                {
                    string scope = fund == KeysetDescriptor.GeneralFund ? round : $"{round}\n{fund}";
                    var key = SchemeContext.LedgerKey("u", scope, new IdempotencyKey(worker.Account.Value));
                    var committed = await context.Ledger.FindEntryAsync(key, cancellationToken).ConfigureAwait(false);
                    if (committed is null)
                    {
                        long balance = funds.GetValueOrDefault(fund).MinorUnits;
                        if (balance <= 0)
                        {
                            continue;
                        }

                        var from = LedgerAccount.WorkerFund(worker.Account, fund);
                        var parts = await PartsAsync(table, worker, fund, balance, now, cancellationToken).ConfigureAwait(false);
                        var result = parts.Count == 1
                            ? await context.Ledger.AllocateDefaultAsync(key, from, parts[0].Key, parts[0].Value, cancellationToken).ConfigureAwait(false)
                            : await context.Ledger.AllocateDefaultSplitAsync(key, from, parts, cancellationToken).ConfigureAwait(false);
                        if (!result.Succeeded)
                        {
                            // A withdrawal raced the round and the balance fell: this worker keeps what is left.
                            continue;
                        }

                        committed = result.Entry!;
                    }

                    Accumulate(shares, committed);
                }
            }

            var record = DefaultAllocationRecord.ForUnwithdrawnBalances(round, table.Version, now, Shares(shares), Pooled(shares));
            await context.AppendLogOnceAsync($"u-{round}", LogEntry.ForAllocation(record), cancellationToken).ConfigureAwait(false);
            return record;
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The table in force at a time: the latest published one issued at or before it.</summary>
    private static DefaultAllocationTable? InForce(IReadOnlyList<DefaultAllocationTable> tables, DateTimeOffset at) =>
        tables.LastOrDefault(t => t.IssuedAt <= at);

    private static void Accumulate(Dictionary<LedgerAccount, long> shares, JournalEntry entry)
    {
        foreach (var posting in entry.Postings.Where(p => p.Delta > 0))
        {
            shares[posting.Account] = shares.GetValueOrDefault(posting.Account) + posting.Delta;
        }
    }

    private static IEnumerable<ProviderShare> Shares(Dictionary<LedgerAccount, long> shares) =>
        shares.Where(s => s.Key.Kind == LedgerAccountKind.ProviderPayable)
            .Select(s => new ProviderShare(new AccountId(s.Key.Key), Amount.FromMinorUnits(s.Value)));

    private static Amount Pooled(Dictionary<LedgerAccount, long> shares) =>
        Amount.FromMinorUnits(shares.GetValueOrDefault(LedgerAccount.DefaultPool));

    // The destinations of one fund sub-balance of a worker: the table's split of the profile's jobs (docs/PROTOCOL.md
    // 5.24), each provider checked against the registry and the fund (5.22), parts for one destination added up, in
    // canonical job order.
    private async Task<List<KeyValuePair<LedgerAccount, Amount>>> PartsAsync(DefaultAllocationTable table, DefaultAllocationInput worker, string fund, long balance, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var parts = new List<KeyValuePair<LedgerAccount, Amount>>();
        foreach (var share in table.Split(worker.Jobs, Amount.FromMinorUnits(balance)))
        {
            var to = await DestinationAsync(share.Provider, fund, now, cancellationToken).ConfigureAwait(false);
            int at = parts.FindIndex(p => p.Key == to);
            if (at < 0)
            {
                parts.Add(new(to, share.Amount));
            }
            else
            {
                parts[at] = new(to, parts[at].Value + share.Amount);
            }
        }

        return parts;
    }

    private async Task<LedgerAccount> DestinationAsync(AccountId provider, string fund, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var registries = await registryStore.ListRegistriesAsync(cancellationToken).ConfigureAwait(false);
        var registry = registries.LastOrDefault(r => r.IssuedAt <= now);
        return registry?.Find(provider) is { } record && record.IsValidAt(now) && record.Accepts(fund)
            ? LedgerAccount.Provider(provider)
            : LedgerAccount.DefaultPool;
    }

    private async Task<IReadOnlyList<DefaultAllocationTable>> ListAllocationTablesCoreAsync(CancellationToken cancellationToken) =>
        [.. (await ReadLogAsync(LogEntryKind.AllocationTablePublished, cancellationToken).ConfigureAwait(false)).Select(e => e.AllocationTable!)];

    // The tables and allocation records live only in the log (no extra store tables): a linear scan, fine for the
    // handful of calls per epoch these operations make.
    private async Task<List<LogEntry>> ReadLogAsync(LogEntryKind kind, CancellationToken cancellationToken)
    {
        ulong size = await context.Log.GetSizeAsync(cancellationToken).ConfigureAwait(false);
        var found = new List<LogEntry>();
        for (ulong i = 0; i < size; i++)
        {
            if (await logRecords.GetLogEntryAsync(i, cancellationToken).ConfigureAwait(false) is { } entry && entry.Kind == kind)
            {
                found.Add(entry);
            }
        }

        return found;
    }
}
