namespace Wallet.Protocol.Operators;

/// <summary>
/// One line of a payroll batch (<see cref="Roles.ISchemeOperator.ContributeBatchAsync"/>): who pays, which worker is
/// credited, from which source, how much, and the contributor's own key for the line.
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md 5.21. The line is idempotent under <see cref="LedgerKey"/>, <c>pay:&lt;contributor&gt;:&lt;line
/// key&gt;</c>, so two contributors may use the same line keys, and the journal entry the line writes names its
/// contributor. The amount may be zero here so that a batch can carry such a line to be refused alone
/// (<see cref="PayrollLineStatus.ZeroAmount"/>).
/// </remarks>
public sealed record PayrollLine
{
    /// <summary>The longest contributor id: with the longest line key, the ledger key still fits an idempotency key.</summary>
    public const int MaxContributorLength = 48;

    /// <summary>The longest line key.</summary>
    public const int MaxLineKeyLength = 64;

    /// <summary>Creates the line.</summary>
    /// <param name="contributor">Who pays (for example an employer id): at most <see cref="MaxContributorLength"/> characters, no <c>:</c>.</param>
    /// <param name="lineKey">The contributor's key for this line: at most <see cref="MaxLineKeyLength"/> characters.</param>
    /// <param name="source">The source type.</param>
    /// <param name="worker">The worker credited.</param>
    /// <param name="amount">The amount.</param>
    /// <exception cref="ArgumentNullException"><paramref name="contributor"/>, <paramref name="lineKey"/> or <paramref name="worker"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="contributor"/> or <paramref name="lineKey"/> is too long, or <paramref name="contributor"/> contains <c>:</c>.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="source"/> is undefined.</exception>
    public PayrollLine(AccountId contributor, IdempotencyKey lineKey, ContributionSource source, AccountId worker, Amount amount)
    {
        ArgumentNullException.ThrowIfNull(contributor);
        ArgumentNullException.ThrowIfNull(lineKey);
        ArgumentNullException.ThrowIfNull(worker);
        if (contributor.Value.Length > MaxContributorLength || contributor.Value.Contains(':', StringComparison.Ordinal))
        {
            throw new ArgumentException($"A contributor id has at most {MaxContributorLength} characters and no ':'.", nameof(contributor));
        }

        if (lineKey.Value.Length > MaxLineKeyLength)
        {
            throw new ArgumentException($"A line key has at most {MaxLineKeyLength} characters.", nameof(lineKey));
        }

        if (!Enum.IsDefined(source))
        {
            throw new ArgumentOutOfRangeException(nameof(source), "Unknown contribution source.");
        }

        (Contributor, LineKey, Source, Worker, Amount) = (contributor, lineKey, source, worker, amount);
    }

    /// <summary>Who pays.</summary>
    public AccountId Contributor { get; }

    /// <summary>The contributor's key for this line.</summary>
    public IdempotencyKey LineKey { get; }

    /// <summary>The source type.</summary>
    public ContributionSource Source { get; }

    /// <summary>The worker credited.</summary>
    public AccountId Worker { get; }

    /// <summary>The amount.</summary>
    public Amount Amount { get; }

    /// <summary>The ledger's idempotency key for the line, <c>pay:&lt;contributor&gt;:&lt;line key&gt;</c>, carried by its journal entry.</summary>
    public IdempotencyKey LedgerKey => new($"pay:{Contributor.Value}:{LineKey.Value}");
}
