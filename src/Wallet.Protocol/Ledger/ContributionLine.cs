namespace Wallet.Protocol.Ledger;

/// <summary>One line of a contribution batch: a contribution with its own idempotency key.</summary>
/// <remarks>
/// A line is recorded exactly like <see cref="SchemeLedger.ContributeAsync(IdempotencyKey, ContributionSource, AccountId, Amount, string, CancellationToken)"/> with the same arguments (the same
/// journal entry and the same stored outcome), so a line and a single contribution under one key are one request.
/// </remarks>
public sealed record ContributionLine
{
    /// <summary>Creates the line.</summary>
    /// <param name="key">The line's idempotency key.</param>
    /// <param name="source">The source type.</param>
    /// <param name="worker">The worker credited.</param>
    /// <param name="amount">The amount, more than zero.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="worker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero or <paramref name="source"/> is undefined.</exception>
    public ContributionLine(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount)
        : this(key, source, worker, amount, LedgerAccount.GeneralFund)
    {
    }

    /// <summary>Creates a line that credits one fund of the worker (docs/PROTOCOL.md section 5.22).</summary>
    /// <param name="key">The line's idempotency key.</param>
    /// <param name="source">The source type.</param>
    /// <param name="worker">The worker credited.</param>
    /// <param name="amount">The amount, more than zero.</param>
    /// <param name="fund">The fund credited (the funds table's fund for <paramref name="source"/>); <c>general</c> credits <see cref="LedgerAccount.Worker"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="key"/>, <paramref name="worker"/> or <paramref name="fund"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero or <paramref name="source"/> is undefined.</exception>
    /// <exception cref="ArgumentException"><paramref name="fund"/> is not a fund token (see <see cref="LedgerAccount.WorkerFund"/>).</exception>
    public ContributionLine(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount, string fund)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(worker);
        if (!Enum.IsDefined(source))
        {
            throw new ArgumentOutOfRangeException(nameof(source), "Unknown contribution source.");
        }

        if (amount.IsZero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), "The amount must be more than zero.");
        }

        LedgerAccount.RequireFund(fund, nameof(fund));
        (Key, Source, Worker, Amount, Fund) = (key, source, worker, amount, fund);
    }

    /// <summary>The line's idempotency key.</summary>
    public IdempotencyKey Key { get; }

    /// <summary>The source type.</summary>
    public ContributionSource Source { get; }

    /// <summary>The worker credited.</summary>
    public AccountId Worker { get; }

    /// <summary>The amount.</summary>
    public Amount Amount { get; }

    /// <summary>The fund credited; <c>general</c> unless given.</summary>
    public string Fund { get; }
}
