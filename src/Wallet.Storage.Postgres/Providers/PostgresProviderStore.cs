using static Wallet.Storage.Postgres.PostgresSql;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Witnesses;

namespace Wallet.Storage.Postgres.Providers;

/// <summary>
/// An <see cref="IProviderStore"/> in PostgreSQL: open requests, verified payments, the exact bytes of the deposit in
/// flight, every payment's outcome, the trusted checkpoint and the split-view evidence (docs/PROTOCOL.md 5.5, 5.13).
/// Every value is stored in its canonical encoding and decoded on read, so a corrupted row surfaces as
/// <see cref="ProtocolFormatException"/>, never as a wrong value.
/// </summary>
/// <remarks>
/// Each method is one transaction (reads at REPEATABLE READ, so a read of several statements sees one snapshot). Writers take one transaction-scoped advisory lock first, so the store's
/// check-then-change steps (a payment in at most one of open, verified and settled; the first deposit in flight wins; the
/// checkpoint's compare-and-set) never interleave, whichever process writes. The schema is versioned in
/// <c>provider_schema</c> and migrated at open, in the first schema of the connection's search path.
/// </remarks>
public sealed partial class PostgresProviderStore : IProviderStore, IAsyncDisposable
{
    private const long MigrationLockId = 0x5743_5052_4f56_4d31; // "WCPROVM1"
    private const long WriteLockId = 0x5743_5052_4f56_5731; // "WCPROVW1"

    // Scripts indexed by the version they produce minus one. Never edit a shipped script; append a new one.
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE open_requests (payment bytea PRIMARY KEY, request bytea NOT NULL);
        CREATE TABLE verified (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, payment bytea NOT NULL UNIQUE, request bytea NOT NULL);
        CREATE TABLE verified_spends (payment bytea NOT NULL, idx integer NOT NULL, value bytea NOT NULL, PRIMARY KEY (payment, idx));
        CREATE TABLE in_flight (one boolean PRIMARY KEY DEFAULT true CHECK (one), idem text NOT NULL, request bytea NOT NULL);
        CREATE TABLE settled (payment bytea PRIMARY KEY, receipt bytea, outcome smallint, reason smallint, CHECK ((receipt IS NULL) <> (outcome IS NULL)));
        CREATE TABLE settled_proofs (payment bytea NOT NULL, idx integer NOT NULL, value bytea NOT NULL, PRIMARY KEY (payment, idx));
        CREATE TABLE checkpoint (one boolean PRIMARY KEY DEFAULT true CHECK (one), note bytea NOT NULL);
        CREATE TABLE split_views (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, evidence bytea NOT NULL UNIQUE);
        """,
        MandatesMigration,
    ];

    private readonly NpgsqlDataSource _dataSource;

    private PostgresProviderStore(NpgsqlDataSource dataSource, bool ownsDataSource)
    {
        _dataSource = dataSource;
        _ownsDataSource = ownsDataSource;
    }

    /// <summary>The schema version this library writes.</summary>
    public static int SchemaVersion => Migrations.Length;

    /// <summary>Connects to a database and migrates the provider schema to <see cref="SchemaVersion"/>.</summary>
    /// <param name="connectionString">An Npgsql connection string; <c>Search Path</c> selects the schema.</param>
    /// <param name="cancellationToken">Cancels the connection and migration.</param>
    /// <returns>The store; dispose it to close its connection pool.</returns>
    /// <exception cref="ArgumentException"><paramref name="connectionString"/> is null, empty or malformed.</exception>
    /// <exception cref="InvalidOperationException">The schema is from a newer version.</exception>
    /// <exception cref="NpgsqlException">The server cannot be reached.</exception>
    /// <exception cref="OperationCanceledException"><paramref name="cancellationToken"/> was cancelled.</exception>
    public static async Task<PostgresProviderStore> OpenAsync(string connectionString, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(connectionString);
        var store = new PostgresProviderStore(NpgsqlDataSource.Create(connectionString), ownsDataSource: true);
        try
        {
            await store.MigrateAsync(cancellationToken).ConfigureAwait(false);
            return store;
        }
        catch
        {
            await store.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    /// <inheritdoc/>
    public async ValueTask AddOpenRequestAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        await WriteAsync(cancellationToken, async (c, t) =>
        {
            await ExecAsync(c, t, """
                INSERT INTO open_requests (payment, request)
                SELECT @p, @r WHERE NOT EXISTS (SELECT 1 FROM verified WHERE payment = @p) AND NOT EXISTS (SELECT 1 FROM settled WHERE payment = @p)
                ON CONFLICT DO NOTHING
                """, cancellationToken, ("p", Id(request.Id)), ("r", request.Encode())).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<bool> MarkVerifiedAsync(PaymentRequest request, IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(spends);
        return WriteAsync(cancellationToken, async (c, t) =>
        {
            byte[] id = Id(request.Id);
            if (await ExecAsync(c, t, "DELETE FROM open_requests WHERE payment = @p", cancellationToken, ("p", id)).ConfigureAwait(false) != 1)
            {
                return false;
            }

            await ExecAsync(c, t, "INSERT INTO verified (payment, request) VALUES (@p, @r)", cancellationToken, ("p", id), ("r", request.Encode())).ConfigureAwait(false);
            await InsertListAsync(c, t, "verified_spends", id, spends.Select(s => s.Encode()), cancellationToken).ConfigureAwait(false);
            return true;
        });
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<VerifiedPayment>> ListVerifiedAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return ReadAsync<IReadOnlyList<VerifiedPayment>>(cancellationToken, async c =>
        {
            var rows = await RowsAsync(c, "SELECT payment, request FROM verified ORDER BY seq LIMIT @n", r => ((byte[])r[0], (byte[])r[1]), cancellationToken, ("n", (long)limit)).ConfigureAwait(false);
            var payments = new List<VerifiedPayment>(rows.Count);
            foreach (var (id, request) in rows)
            {
                var spends = await ListAsync(c, "verified_spends", id, cancellationToken).ConfigureAwait(false);
                payments.Add(new VerifiedPayment(PaymentRequest.Decode(request), [.. spends.Select(b => CoinSpend.Decode(b))]));
            }

            return payments;
        });
    }

    /// <inheritdoc/>
    public ValueTask<DepositRequest?> GetInFlightDepositAsync(CancellationToken cancellationToken) =>
        ReadAsync(cancellationToken, c => InFlightAsync(c, null, cancellationToken));

    /// <inheritdoc/>
    public ValueTask<DepositRequest> BeginDepositAsync(DepositRequest deposit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        return WriteAsync(cancellationToken, async (c, t) =>
        {
            await ExecAsync(c, t, "INSERT INTO in_flight (one, idem, request) VALUES (true, @i, @r) ON CONFLICT DO NOTHING", cancellationToken, ("i", deposit.IdempotencyKey.Value), ("r", deposit.Encode())).ConfigureAwait(false);
            return (await InFlightAsync(c, t, cancellationToken).ConfigureAwait(false))!;
        });
    }

    /// <inheritdoc/>
    public ValueTask<bool> ClearInFlightDepositAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return WriteAsync(cancellationToken, (c, t) => ClearInFlightAsync(c, t, key, cancellationToken));
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ProviderPaymentState>> SettleDepositAsync(IdempotencyKey key, IReadOnlyList<ProviderPaymentState> outcomes, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(outcomes);
        if (outcomes.Any(o => o is null || !(o.Status == ProviderPaymentStatus.Paid ? o.Receipt is not null : o.Status == ProviderPaymentStatus.Rejected && o.Rejection is not null)))
        {
            throw new ArgumentException("A deposit settles a payment as paid (with a receipt) or rejected (with the outcome).", nameof(outcomes));
        }

        return WriteAsync<IReadOnlyList<ProviderPaymentState>>(cancellationToken, async (c, t) =>
        {
            var recorded = new List<ProviderPaymentState>();
            foreach (var outcome in outcomes)
            {
                byte[] id = Id(outcome.Payment);
                if (await ExecAsync(c, t, "DELETE FROM verified WHERE payment = @p", cancellationToken, ("p", id)).ConfigureAwait(false) != 1)
                {
                    continue;
                }

                await ExecAsync(c, t, "DELETE FROM verified_spends WHERE payment = @p", cancellationToken, ("p", id)).ConfigureAwait(false);
                var rejection = outcome.Rejection;
                await ExecAsync(
                    c,
                    t,
                    "INSERT INTO settled (payment, receipt, outcome, reason) VALUES (@p, @r, @o, @n)",
                    cancellationToken,
                    ("p", id),
                    ("r", outcome.Receipt?.Encode()),
                    ("o", rejection is null ? null : (short)rejection.Status),
                    ("n", rejection?.Reason is { } reason ? (short)reason : null)).ConfigureAwait(false);
                await InsertListAsync(c, t, "settled_proofs", id, (rejection?.DoubleSpendProofs ?? []).Select(p => p.Encode()), cancellationToken).ConfigureAwait(false);
                recorded.Add(outcome);
            }

            await ClearInFlightAsync(c, t, key, cancellationToken).ConfigureAwait(false);
            return recorded;
        });
    }

    /// <inheritdoc/>
    public ValueTask<ProviderPaymentState> GetPaymentStateAsync(PaymentId payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return ReadAsync(cancellationToken, async c =>
        {
            byte[] id = Id(payment);
            var settled = await RowsAsync(c, "SELECT receipt, outcome, reason FROM settled WHERE payment = @p", r => (r.IsDBNull(0) ? null : (byte[])r[0], r.IsDBNull(1) ? (short?)null : r.GetInt16(1), r.IsDBNull(2) ? (short?)null : r.GetInt16(2)), cancellationToken, ("p", id)).ConfigureAwait(false);
            if (settled.Count == 1)
            {
                var (receipt, outcome, reason) = settled[0];
                if (receipt is not null)
                {
                    return ProviderPaymentState.Paid(payment, SpendReceipt.Decode(receipt));
                }

                var proofs = (await ListAsync(c, "settled_proofs", id, cancellationToken).ConfigureAwait(false)).Select(b => DoubleSpendProof.Decode(b)).ToList();
                return ProviderPaymentState.Rejected(new DepositPaymentOutcome(payment, (DepositPaymentStatus)outcome!.Value, (DepositRejectionReason?)reason, proofs));
            }

            var status = await ScalarAsync(c, null, "SELECT 1 FROM verified WHERE payment = @p", cancellationToken, ("p", id)).ConfigureAwait(false) is not null ? ProviderPaymentStatus.Verified
                : await ScalarAsync(c, null, "SELECT 1 FROM open_requests WHERE payment = @p", cancellationToken, ("p", id)).ConfigureAwait(false) is not null ? ProviderPaymentStatus.Open
                : ProviderPaymentStatus.Unknown;
            return new ProviderPaymentState(payment, status, null, null);
        });
    }

    /// <inheritdoc/>
    public ValueTask<SignedNote?> GetCheckpointAsync(CancellationToken cancellationToken) =>
        ReadAsync(cancellationToken, async c =>
            await ScalarAsync(c, null, "SELECT note FROM checkpoint", cancellationToken).ConfigureAwait(false) is byte[] note ? Note(note) : null);

    /// <inheritdoc/>
    public ValueTask<bool> TryReplaceCheckpointAsync(SignedNote? expected, SignedNote checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return WriteAsync(cancellationToken, async (c, t) =>
        {
            byte[]? stored = await ScalarAsync(c, t, "SELECT note FROM checkpoint", cancellationToken).ConfigureAwait(false) as byte[];
            if (!(stored is null ? expected is null : expected is not null && stored.AsSpan().SequenceEqual(expected.Encode())))
            {
                return false;
            }

            await ExecAsync(c, t, "INSERT INTO checkpoint (one, note) VALUES (true, @n) ON CONFLICT (one) DO UPDATE SET note = excluded.note", cancellationToken, ("n", checkpoint.Encode())).ConfigureAwait(false);
            return true;
        });
    }

    /// <inheritdoc/>
    public async ValueTask AddSplitViewAsync(SplitViewEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        await WriteAsync(cancellationToken, async (c, t) =>
            await ExecAsync(c, t, "INSERT INTO split_views (evidence) VALUES (@e) ON CONFLICT DO NOTHING", cancellationToken, ("e", evidence.Encode())).ConfigureAwait(false)).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SplitViewEvidence>> ListSplitViewsAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<SplitViewEvidence>>(cancellationToken, async c =>
            (await RowsAsync(c, "SELECT evidence FROM split_views ORDER BY seq", r => (byte[])r[0], cancellationToken).ConfigureAwait(false)).Select(SplitView).ToList());

    /// <summary>Closes the connection pool.</summary>
    /// <returns>A task that completes when the pool is closed.</returns>
    public ValueTask DisposeAsync() => _ownsDataSource ? _dataSource.DisposeAsync() : ValueTask.CompletedTask;

    private static byte[] Id(PaymentId payment) => payment.Bytes.ToArray();

    // A stored note or evidence that no longer parses is a corrupt row: the same typed error as any other value here.
    private static SignedNote Note(byte[] encoded)
    {
        try
        {
            return SignedNote.Parse(encoded);
        }
        catch (NoteFormatException ex)
        {
            throw new ProtocolFormatException("The stored checkpoint is not a signed note.", ex);
        }
    }

    private static SplitViewEvidence SplitView(byte[] encoded)
    {
        try
        {
            return SplitViewEvidence.Parse(encoded);
        }
        catch (WitnessFormatException ex)
        {
            throw new ProtocolFormatException("Stored split-view evidence is malformed.", ex);
        }
    }

    private static Task<List<byte[]>> ListAsync(NpgsqlConnection c, string table, byte[] payment, CancellationToken cancellationToken) =>
        RowsAsync(c, $"SELECT value FROM {table} WHERE payment = @p ORDER BY idx", r => (byte[])r[0], cancellationToken, ("p", payment));

    private static async Task InsertListAsync(NpgsqlConnection c, NpgsqlTransaction t, string table, byte[] payment, IEnumerable<byte[]> values, CancellationToken cancellationToken)
    {
        int i = 0;
        foreach (byte[] value in values)
        {
            await ExecAsync(c, t, $"INSERT INTO {table} (payment, idx, value) VALUES (@p, @i, @v)", cancellationToken, ("p", payment), ("i", i++), ("v", value)).ConfigureAwait(false);
        }
    }

    private static async Task<DepositRequest?> InFlightAsync(NpgsqlConnection c, NpgsqlTransaction? t, CancellationToken cancellationToken) =>
        await ScalarAsync(c, t, "SELECT request FROM in_flight", cancellationToken).ConfigureAwait(false) is byte[] encoded ? DepositRequest.Decode(encoded) : null;

    private static async Task<bool> ClearInFlightAsync(NpgsqlConnection c, NpgsqlTransaction t, IdempotencyKey key, CancellationToken cancellationToken) =>
        await ExecAsync(c, t, "DELETE FROM in_flight WHERE idem = @i", cancellationToken, ("i", key.Value)).ConfigureAwait(false) == 1;

    private async ValueTask<T> WriteAsync<T>(CancellationToken cancellationToken, Func<NpgsqlConnection, NpgsqlTransaction, Task<T>> change)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken).ConfigureAwait(false);
        await ExecAsync(connection, transaction, $"SELECT pg_advisory_xact_lock({WriteLockId})", cancellationToken).ConfigureAwait(false);
        T result = await change(connection, transaction).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }

    private async ValueTask<T> ReadAsync<T>(CancellationToken cancellationToken, Func<NpgsqlConnection, Task<T>> query)
    {
        cancellationToken.ThrowIfCancellationRequested();
        await using var connection = await OpenConnectionAsync(cancellationToken).ConfigureAwait(false);

        // One snapshot for the several statements of a read (a payment's row and its spends or proofs).
        await using var transaction = await connection.BeginTransactionAsync(IsolationLevel.RepeatableRead, cancellationToken).ConfigureAwait(false);
        T result = await query(connection).ConfigureAwait(false);
        await transaction.CommitAsync(cancellationToken).ConfigureAwait(false);
        return result;
    }
}
