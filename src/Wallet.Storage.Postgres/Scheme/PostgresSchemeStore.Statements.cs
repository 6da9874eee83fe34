using Wallet.Protocol.Statements;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Withdrawals;
using static Wallet.Storage.Postgres.PostgresSql;

namespace Wallet.Storage.Postgres.Scheme;

// Contribution records and the withdrawals a statement lists (docs/PROTOCOL.md 5.23). The day is kept as whole Unix
// seconds of the UTC midnight, as in the SQLite store, so both compare and order the same way.
public sealed partial class PostgresSchemeStore
{
    private const string ContributionColumns = "ledger_key, worker, source, contributor, fund, amount, day";

    /// <inheritdoc/>
    public ValueTask PutContributionRecordsAsync(IReadOnlyList<ContributionRecord> records, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(records);
        foreach (var record in records)
        {
            ArgumentNullException.ThrowIfNull(record, nameof(records));
        }

        return WriteAsync(
            cancellationToken,
            $"""
            INSERT INTO scheme_contributions ({ContributionColumns})
            SELECT k, w, s, c, f, a, d FROM unnest(@k::text[], @w::text[], @s::bigint[], @c::text[], @f::text[], @a::bigint[], @d::bigint[]) WITH ORDINALITY AS x(k, w, s, c, f, a, d, n)
            ORDER BY k, n
            ON CONFLICT (ledger_key) DO NOTHING
            """,
            ("k", records.Select(r => r.LedgerKey.Value).ToArray()),
            ("w", records.Select(r => r.Worker.Value).ToArray()),
            ("s", records.Select(r => (long)r.Source).ToArray()),
            ("c", records.Select(r => r.Contributor?.Value).ToArray()),
            ("f", records.Select(r => r.Fund).ToArray()),
            ("a", records.Select(r => r.Amount.MinorUnits).ToArray()),
            ("d", records.Select(r => r.RecordedAt.ToUnixTimeSeconds()).ToArray()));
    }

    /// <inheritdoc/>
    public ValueTask<ContributionRecord?> GetContributionRecordAsync(IdempotencyKey ledgerKey, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(ledgerKey);
        return ReadRowAsync(cancellationToken, $"SELECT {ContributionColumns} FROM scheme_contributions WHERE ledger_key = @k", Contribution, ("k", ledgerKey.Value));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ContributionRecord>> ListContributionRecordsAsync(AccountId worker, DateTimeOffset from, DateTimeOffset to, int limit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(worker);
        ArgumentOutOfRangeException.ThrowIfNegative(limit);
        return ReadAsync<IReadOnlyList<ContributionRecord>>(cancellationToken, async c => await RowsAsync(
            c,
            $"SELECT {ContributionColumns} FROM scheme_contributions WHERE worker = @w AND day >= @f AND day < @t ORDER BY day, ledger_key LIMIT @l",
            Contribution,
            cancellationToken,
            ("w", worker.Value), ("f", Ceiling(from)), ("t", Ceiling(to)), ("l", (long)limit)).ConfigureAwait(false));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<WithdrawalReceipt>> ListWithdrawalReceiptsAsync(AccountId account, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(account);
        return ReadAsync<IReadOnlyList<WithdrawalReceipt>>(cancellationToken, async c =>
            (await RowsAsync(c, "SELECT response FROM scheme_withdrawals WHERE account = @a ORDER BY idem", r => (byte[])r[0], cancellationToken, ("a", account.Value)).ConfigureAwait(false))
                .Select(r => WithdrawalResponse.Decode(r).Receipt).ToList());
    }

    // "Before to" in whole seconds: a fractional end still excludes the second it falls in only past that fraction.
    private static long Ceiling(DateTimeOffset moment)
    {
        long seconds = moment.ToUnixTimeSeconds();
        return DateTimeOffset.FromUnixTimeSeconds(seconds) < moment ? seconds + 1 : seconds;
    }

    // A row that no longer makes a valid record (edited by hand, or corrupt) is a format error, never a wrong value.
    private static ContributionRecord Contribution(NpgsqlDataReader r)
    {
        try
        {
            var day = DateTimeOffset.FromUnixTimeSeconds(r.GetInt64(6));
            var record = new ContributionRecord(
                new IdempotencyKey(r.GetString(0)),
                new AccountId(r.GetString(1)),
                (ContributionSource)r.GetInt64(2),
                r.IsDBNull(3) ? null : new AccountId(r.GetString(3)),
                r.GetString(4),
                Amount.FromMinorUnits(r.GetInt64(5)),
                day);
            return record.RecordedAt == day ? record : throw new ProtocolFormatException("A stored contribution's day is not a UTC midnight.");
        }
        catch (ArgumentException ex)
        {
            throw new ProtocolFormatException("A stored contribution record is malformed.", ex);
        }
    }
}
