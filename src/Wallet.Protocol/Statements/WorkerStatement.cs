namespace Wallet.Protocol.Statements;

/// <summary>
/// The scheme's signed answer to a worker's <see cref="StatementRequest"/>: the account's balance per fund now, and
/// over the requested period its contributions (with source and contributor) and its honoured withdrawals.
/// </summary>
/// <remarks>
/// Signature domain "PB1/worker-statement" v1 over the body; docs/PROTOCOL.md 5.23. It carries the request's hash, so
/// it answers that request only. It shows nothing the scheme does not already hold about the account.
/// </remarks>
public sealed class WorkerStatement : SignedProtocolMessage<WorkerStatement>
{
    /// <summary>Encoding version.</summary>
    public const byte Version = 1;

    /// <summary>Most contributions, or withdrawals, on one statement; a longer period is refused (ask for a shorter one).</summary>
    public const int MaxLines = 4096;

    /// <summary>Most funds on one statement.</summary>
    public const int MaxFunds = 64;

    private static readonly SignedMessageCodec<WorkerStatement> Codec = RegisterSigned("worker statement", Version, "PB1/worker-statement", ReadFields, static (m, w) => m.WriteBody(w));

    private readonly byte[] _requestHash;

    private WorkerStatement(AccountId account, DateTimeOffset from, DateTimeOffset to, DateTimeOffset asOf, byte[] requestHash, ImmutableArray<FundBalance> balances, ImmutableArray<StatementContribution> contributions, ImmutableArray<StatementWithdrawal> withdrawals, byte[] signature)
        : base(signature)
    {
        (Account, From, To, AsOf, _requestHash, Balances, Contributions, Withdrawals) = (account, from, to, asOf, requestHash, balances, contributions, withdrawals);
    }

    /// <summary>The account.</summary>
    public AccountId Account { get; }

    /// <summary>The period's start (inclusive).</summary>
    public DateTimeOffset From { get; }

    /// <summary>The period's end (exclusive).</summary>
    public DateTimeOffset To { get; }

    /// <summary>When the scheme made the statement: the balances are as of then.</summary>
    public DateTimeOffset AsOf { get; }

    /// <summary>SHA-256 of the request answered.</summary>
    public ReadOnlySpan<byte> RequestHash => _requestHash;

    /// <summary>The balance per fund, ordered by fund (ordinal).</summary>
    public ImmutableArray<FundBalance> Balances { get; }

    /// <summary>The period's contributions, ordered by day, then ledger key (ordinal).</summary>
    public ImmutableArray<StatementContribution> Contributions { get; }

    /// <summary>The period's honoured withdrawals, ordered by time, then key (ordinal).</summary>
    public ImmutableArray<StatementWithdrawal> Withdrawals { get; }

    /// <summary>The balance in the general fund (<see cref="KeysetDescriptor.GeneralFund"/>): what the uniform withdrawal takes.</summary>
    public Amount GeneralBalance => BalanceOf(KeysetDescriptor.GeneralFund);

    /// <summary>The sum of the period's contributions.</summary>
    public Amount TotalContributed => Amount.Sum(Contributions.Select(c => c.Record.Amount));

    /// <summary>The sum of the period's withdrawals.</summary>
    public Amount TotalWithdrawn => Amount.Sum(Withdrawals.Select(w => w.Total));

    /// <summary>The period's contributions summed by source and contributor, ordered by source, then contributor (none first).</summary>
    public IReadOnlyList<ContributionTotal> ContributionTotals => Totals(Contributions.Select(c => c.Record));

    /// <summary>The balance of one fund (zero when the statement does not list it).</summary>
    /// <param name="fund">The fund token.</param>
    /// <returns>The balance.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="fund"/> is null.</exception>
    public Amount BalanceOf(string fund)
    {
        ArgumentNullException.ThrowIfNull(fund);
        return Balances.FirstOrDefault(b => string.Equals(b.Fund, fund, StringComparison.Ordinal))?.Balance ?? Amount.Zero;
    }

    /// <summary>Signs a statement for a request.</summary>
    /// <param name="request">The request answered.</param>
    /// <param name="asOf">When the statement is made.</param>
    /// <param name="balances">The balance per fund, at most <see cref="MaxFunds"/>, one per fund.</param>
    /// <param name="contributions">The period's contributions of the request's account, at most <see cref="MaxLines"/>, one per ledger key.</param>
    /// <param name="withdrawals">The period's withdrawals, at most <see cref="MaxLines"/>, one per key.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The statement, its lists in canonical order.</returns>
    /// <exception cref="ArgumentNullException">A reference argument or an item is null.</exception>
    /// <exception cref="ArgumentException">A list is too long or repeats an item, or a contribution is another account's.</exception>
    public static WorkerStatement Sign(StatementRequest request, DateTimeOffset asOf, IReadOnlyList<FundBalance> balances, IReadOnlyList<StatementContribution> contributions, IReadOnlyList<StatementWithdrawal> withdrawals, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(balances);
        ArgumentNullException.ThrowIfNull(contributions);
        ArgumentNullException.ThrowIfNull(withdrawals);
        ArgumentNullException.ThrowIfNull(schemeKey);
        if (balances.Count > MaxFunds || contributions.Count > MaxLines || withdrawals.Count > MaxLines)
        {
            throw new ArgumentException("A statement holds at most 64 funds and 4096 contributions and withdrawals.", nameof(contributions));
        }

        if (contributions.Any(c => c.Record.Worker != request.Account))
        {
            throw new ArgumentException("A contribution on the statement is another account's.", nameof(contributions));
        }

        ImmutableArray<FundBalance> funds = [.. balances.OrderBy(b => b.Fund, StringComparer.Ordinal)];
        ImmutableArray<StatementContribution> lines = [.. contributions.OrderBy(c => c.Record.RecordedAt).ThenBy(c => c.Record.LedgerKey.Value, StringComparer.Ordinal)];
        ImmutableArray<StatementWithdrawal> debits = [.. withdrawals.OrderBy(w => w.IssuedAt).ThenBy(w => w.Key.Value, StringComparer.Ordinal)];
        try
        {
            CheckOrder(funds, lines, debits);
        }
        catch (ProtocolFormatException ex)
        {
            throw new ArgumentException(ex.Message, nameof(contributions), ex);
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(asOf.ToUnixTimeSeconds());
        var unsigned = new WorkerStatement(request.Account, request.From, request.To, at, request.Hash(), funds, lines, debits, []);
        return new WorkerStatement(request.Account, request.From, request.To, at, unsigned._requestHash, funds, lines, debits, Codec.Sign(unsigned, schemeKey));
    }

    /// <summary>Checks the statement against the request the wallet sent and the scheme's signature.</summary>
    /// <param name="request">The request sent.</param>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether it is the scheme's answer to that request.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public bool Verify(StatementRequest request, Ed25519PublicKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(schemeKey);
        return request.Account == Account
            && request.From == From
            && request.To == To
            && request.Hash().AsSpan().SequenceEqual(_requestHash)
            && IsSignedBy(schemeKey);
    }

    /// <inheritdoc/>
    public override string ToString() => $"WorkerStatement({Account}, {From:u}..{To:u}, {Contributions.Length} contributions, {Withdrawals.Length} withdrawals)";

    internal static IReadOnlyList<ContributionTotal> Totals(IEnumerable<ContributionRecord> records) =>
        [.. records
            .GroupBy(r => (r.Source, Contributor: r.Contributor?.Value))
            .OrderBy(g => g.Key.Source).ThenBy(g => g.Key.Contributor, StringComparer.Ordinal)
            .Select(g => new ContributionTotal(g.Key.Source, g.First().Contributor, Amount.Sum(g.Select(r => r.Amount)), g.Count()))];

    private static void CheckOrder(ImmutableArray<FundBalance> funds, ImmutableArray<StatementContribution> lines, ImmutableArray<StatementWithdrawal> debits)
    {
        ProtocolCodec.RequireAscending(funds, (a, b) => string.CompareOrdinal(a.Fund, b.Fund), "Statement funds are not in ascending order or repeat.");
        ProtocolCodec.RequireAscending(lines, (a, b) => a.Record.RecordedAt != b.Record.RecordedAt ? a.Record.RecordedAt.CompareTo(b.Record.RecordedAt) : string.CompareOrdinal(a.Record.LedgerKey.Value, b.Record.LedgerKey.Value), "Statement contributions are not in ascending order or repeat.");
        ProtocolCodec.RequireAscending(debits, (a, b) => a.IssuedAt != b.IssuedAt ? a.IssuedAt.CompareTo(b.IssuedAt) : string.CompareOrdinal(a.Key.Value, b.Key.Value), "Statement withdrawals are not in ascending order or repeat.");
        if (lines.Select(l => l.Record.LedgerKey).Distinct().Count() != lines.Length || debits.Select(d => d.Key).Distinct().Count() != debits.Length)
        {
            throw new ProtocolFormatException("A statement repeats a contribution or a withdrawal.");
        }
    }

    private static WorkerStatement ReadFields(ref ProtocolReader r)
    {
        var account = r.Account("account_id");
        var from = r.Time("from");
        var to = r.Time("to");
        var asOf = r.Time("as_of");
        byte[] hash = r.Fixed(32, "request_hash").ToArray();
        var funds = r.List("balances", MaxFunds, static (ref ProtocolReader x) => new FundBalance(x.Ascii("fund"), x.Amount("balance")));
        var lines = r.List("contributions", MaxLines, (ref ProtocolReader x) =>
        {
            var record = ContributionReceipt.ReadLine(ref x, account);
            long sequence = (long)x.U64("ledger_sequence");
            return sequence >= 1 ? new StatementContribution(record, sequence) : throw new ProtocolFormatException("Field 'ledger_sequence' is out of range.");
        });
        var debits = r.List("withdrawals", MaxLines, static (ref ProtocolReader x) => new StatementWithdrawal(new IdempotencyKey(x.Ascii("idempotency_key")), x.Amount("total"), x.Time("issued_at")));
        if (to <= from)
        {
            throw new ProtocolFormatException("A statement period ends after it starts.");
        }

        CheckOrder(funds, lines, debits);
        return new WorkerStatement(account, from, to, asOf, hash, funds, lines, debits, r.Signature());
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.Ascii(Account.Value);
        w.Time(From);
        w.Time(To);
        w.Time(AsOf);
        w.Fixed(_requestHash);
        w.List(Balances, static (b, x) =>
        {
            x.Ascii(b.Fund);
            x.Amount(b.Balance);
        });
        w.List(Contributions, static (c, x) =>
        {
            ContributionReceipt.WriteLine(x, c.Record);
            x.U64((ulong)c.LedgerSequence);
        });
        w.List(Withdrawals, static (d, x) =>
        {
            x.Ascii(d.Key.Value);
            x.Amount(d.Total);
            x.Time(d.IssuedAt);
        });
    }
}
