namespace Wallet.Protocol.Ledger;

/// <summary>One line of a contribution batch: a contribution with its own idempotency key.</summary>
/// <remarks>
/// A line is recorded exactly like <see cref="SchemeLedger.ContributeAsync"/> with the same arguments (the same
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

        (Key, Source, Worker, Amount) = (key, source, worker, amount);
    }

    /// <summary>The line's idempotency key.</summary>
    public IdempotencyKey Key { get; }

    /// <summary>The source type.</summary>
    public ContributionSource Source { get; }

    /// <summary>The worker credited.</summary>
    public AccountId Worker { get; }

    /// <summary>The amount.</summary>
    public Amount Amount { get; }
}
