namespace Wallet.Protocol.Statements;

/// <summary>
/// What the scheme keeps about one contribution beside the ledger, so that it can show the worker who paid: the worker,
/// the ledger key the contribution's journal entry carries, the source, the contributor (an employer id, when the
/// caller named one), the fund it credits, the amount and a coarse time (the UTC day).
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md 5.23. The record is written before the ledger call (first write wins, by <see cref="LedgerKey"/>)
/// and shown only when the ledger holds a matching entry under that key, so a crash between the two never shows a
/// contribution the ledger lacks, and the retry completes it.
/// </remarks>
public sealed record ContributionRecord
{
    /// <summary>Creates a record.</summary>
    /// <param name="ledgerKey">The idempotency key of the contribution's journal entry.</param>
    /// <param name="worker">The worker credited.</param>
    /// <param name="source">The source.</param>
    /// <param name="contributor">Who paid, or null when the caller named nobody.</param>
    /// <param name="fund">The fund credited (a keyset fund token such as <see cref="KeysetDescriptor.GeneralFund"/>).</param>
    /// <param name="amount">The amount, more than zero.</param>
    /// <param name="recordedAt">When the scheme recorded it; kept to the UTC day (<see cref="Coarse"/>).</param>
    /// <exception cref="ArgumentNullException"><paramref name="ledgerKey"/>, <paramref name="worker"/> or <paramref name="fund"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="fund"/> is not a printable ASCII token.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is undefined or <paramref name="amount"/> is zero.</exception>
    public ContributionRecord(IdempotencyKey ledgerKey, AccountId worker, ContributionSource source, AccountId? contributor, string fund, Amount amount, DateTimeOffset recordedAt)
    {
        ArgumentNullException.ThrowIfNull(ledgerKey);
        ArgumentNullException.ThrowIfNull(worker);
        AsciiToken.Validate(fund, nameof(fund));
        if (!Enum.IsDefined(source))
        {
            throw new ArgumentOutOfRangeException(nameof(source), "Unknown contribution source.");
        }

        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount must be more than zero.");
        }

        (LedgerKey, Worker, Source, Contributor, Fund, Amount, RecordedAt) = (ledgerKey, worker, source, contributor, fund, amount, Coarse(recordedAt));
    }

    /// <summary>The idempotency key of the contribution's journal entry.</summary>
    public IdempotencyKey LedgerKey { get; }

    /// <summary>The worker credited.</summary>
    public AccountId Worker { get; }

    /// <summary>The source.</summary>
    public ContributionSource Source { get; }

    /// <summary>Who paid, or null when the caller named nobody.</summary>
    public AccountId? Contributor { get; }

    /// <summary>The fund credited.</summary>
    public string Fund { get; }

    /// <summary>The amount.</summary>
    public Amount Amount { get; }

    /// <summary>The UTC day the scheme recorded it (midnight).</summary>
    public DateTimeOffset RecordedAt { get; }

    /// <summary>The coarse time the scheme keeps and shows: midnight UTC of the moment's day.</summary>
    /// <param name="moment">A moment.</param>
    /// <returns>Midnight UTC of its day.</returns>
    public static DateTimeOffset Coarse(DateTimeOffset moment) => new(moment.UtcDateTime.Date, TimeSpan.Zero);

    /// <summary>
    /// Whether a committed journal entry is this contribution's: a contribution entry under this key that debits this
    /// record's source and credits this worker by exactly this amount (a key reused with other values leaves the record
    /// unshown rather than wrong).
    /// </summary>
    /// <param name="entry">The entry the ledger holds under <see cref="LedgerKey"/>.</param>
    /// <returns>True when they agree.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="entry"/> is null.</exception>
    public bool IsRecordedBy(JournalEntry entry)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var source = LedgerAccount.Contribution(Source);
        return entry.Kind == EntryKind.Contribution
            && entry.IdempotencyKey == LedgerKey
            && entry.Postings.Any(p => p.Account == source && p.Delta == -Amount.MinorUnits)
            && entry.Postings.Any(p => p.Delta == Amount.MinorUnits && p.Account.GetWorker() == Worker);
    }
}
