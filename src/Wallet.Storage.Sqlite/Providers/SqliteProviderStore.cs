using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Storage.Sqlite.Providers;

/// <summary>
/// An <see cref="IProviderStore"/> in a SQLite file (WAL, synchronous=FULL): a provider restarted on the same file
/// keeps its open requests, verified payments, the exact bytes of its deposit in flight, every payment's outcome, its
/// trusted checkpoint and the split-view evidence it kept.
/// Every value is stored in its canonical PB/1 encoding and decoded on read, so a corrupted row surfaces as
/// <see cref="Protocol.Wire.ProtocolFormatException"/>, never as a wrong value. Each method is one transaction.
/// </summary>
/// <remarks>
/// On Unix the file (and SQLite's -wal and -shm files next to it) is mode 0600 whatever the umask, and a missing
/// directory is created with mode 0700: the file names the provider's customers' payments. docs/PROTOCOL.md section 5.5.
/// </remarks>
public sealed partial class SqliteProviderStore : IProviderStore, IDisposable
{
    /// <summary>The schema version (PRAGMA user_version) this code writes.</summary>
    public const int SchemaVersion = 4;

    private readonly GuardedConnection _connection;

    private SqliteProviderStore(SqliteConnection connection) => _connection = new(connection, typeof(SqliteProviderStore));

    /// <summary>Opens (creating if needed) a provider store database.</summary>
    /// <param name="path">The database file.</param>
    /// <returns>The store.</returns>
    /// <exception cref="ArgumentException"><paramref name="path"/> is null or empty.</exception>
    /// <exception cref="InvalidOperationException">The file was written by a newer schema version.</exception>
    /// <exception cref="SqliteException">The file cannot be opened or is not a database.</exception>
    public static SqliteProviderStore Open(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        OwnerOnlyFiles.Prepare(path);
        var connection = SqliteConnections.Open(path);
        try
        {
            Migrate(connection);
            CreateRefundTables(connection);
            OwnerOnlyFiles.Narrow(path);
            return new SqliteProviderStore(connection);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask AddOpenRequestAsync(PaymentRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return Write(cancellationToken, (c, t) =>
        {
            Exec(c, t, """
                INSERT OR IGNORE INTO open_requests (payment, request)
                SELECT $p, $r WHERE NOT EXISTS (SELECT 1 FROM verified WHERE payment = $p) AND NOT EXISTS (SELECT 1 FROM settled WHERE payment = $p)
                """, ("$p", Id(request.Id)), ("$r", request.Encode()));
        });
    }

    /// <inheritdoc/>
    public ValueTask<bool> MarkVerifiedAsync(PaymentRequest request, IReadOnlyList<CoinSpend> spends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(spends);
        return Write(cancellationToken, (c, t) =>
        {
            byte[] id = Id(request.Id);
            if (Exec(c, t, "DELETE FROM open_requests WHERE payment = $p", ("$p", id)) != 1)
            {
                return false;
            }

            Exec(c, t, "INSERT INTO verified (payment, request) VALUES ($p, $r)", ("$p", id), ("$r", request.Encode()));
            InsertList(c, t, "verified_spends", id, spends.Select(s => s.Encode()));
            return true;
        });
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<VerifiedPayment>> ListVerifiedAsync(int limit, CancellationToken cancellationToken)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(limit);
        return Read<IReadOnlyList<VerifiedPayment>>(cancellationToken, c =>
        {
            var payments = SqliteConnections.Rows(c, "SELECT payment, request FROM verified ORDER BY seq LIMIT $n", r => ((byte[])r[0], PaymentRequest.Decode((byte[])r[1])), ("$n", limit));
            return [.. payments.Select(p => new VerifiedPayment(p.Item2, [.. List(c, "verified_spends", p.Item1).Select(b => CoinSpend.Decode(b))]))];
        });
    }

    /// <inheritdoc/>
    public ValueTask<DepositRequest?> GetInFlightDepositAsync(CancellationToken cancellationToken) =>
        Read(cancellationToken, InFlight);

    /// <inheritdoc/>
    public ValueTask<DepositRequest> BeginDepositAsync(DepositRequest deposit, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(deposit);
        return Write(cancellationToken, (c, t) =>
        {
            Exec(c, t, "INSERT OR IGNORE INTO in_flight (one, idem, request) VALUES (1, $i, $r)", ("$i", deposit.IdempotencyKey.Value), ("$r", deposit.Encode()));
            return InFlight(c, t)!;
        });
    }

    /// <inheritdoc/>
    public ValueTask<bool> ClearInFlightDepositAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Write(cancellationToken, (c, t) => ClearInFlight(c, t, key));
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

        return Write<IReadOnlyList<ProviderPaymentState>>(cancellationToken, (c, t) =>
        {
            var recorded = new List<ProviderPaymentState>();
            foreach (var outcome in outcomes)
            {
                byte[] id = Id(outcome.Payment);
                if (Exec(c, t, "DELETE FROM verified WHERE payment = $p", ("$p", id)) != 1)
                {
                    continue;
                }

                Exec(c, t, "DELETE FROM verified_spends WHERE payment = $p", ("$p", id));
                var rejection = outcome.Rejection;
                Exec(
                    c,
                    t,
                    "INSERT INTO settled (payment, receipt, outcome, reason) VALUES ($p, $r, $o, $n)",
                    ("$p", id),
                    ("$r", outcome.Receipt?.Encode()),
                    ("$o", rejection is null ? null : (long)rejection.Status),
                    ("$n", rejection?.Reason is { } reason ? (long)reason : null));
                InsertList(c, t, "settled_proofs", id, (rejection?.DoubleSpendProofs ?? []).Select(p => p.Encode()));
                recorded.Add(outcome);
            }

            ClearInFlight(c, t, key);
            return recorded;
        });
    }

    /// <inheritdoc/>
    public ValueTask<ProviderPaymentState> GetPaymentStateAsync(PaymentId payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return Read(cancellationToken, c =>
        {
            byte[] id = Id(payment);
            var settled = SqliteConnections.Rows(c, "SELECT receipt, outcome, reason FROM settled WHERE payment = $p", r => (r.IsDBNull(0) ? null : (byte[])r[0], r.IsDBNull(1) ? (long?)null : r.GetInt64(1), r.IsDBNull(2) ? (long?)null : r.GetInt64(2)), ("$p", id));
            if (settled.Count == 1)
            {
                var (receipt, outcome, reason) = settled[0];
                if (receipt is not null)
                {
                    return ProviderPaymentState.Paid(payment, SpendReceipt.Decode(receipt));
                }

                var proofs = List(c, "settled_proofs", id).Select(b => DoubleSpendProof.Decode(b)).ToList();
                return ProviderPaymentState.Rejected(new DepositPaymentOutcome(payment, (DepositPaymentStatus)outcome!.Value, (DepositRejectionReason?)reason, proofs));
            }

            var status = SqliteConnections.Scalar(c, "SELECT 1 FROM verified WHERE payment = $p", ("$p", id)) is not null ? ProviderPaymentStatus.Verified
                : SqliteConnections.Scalar(c, "SELECT 1 FROM open_requests WHERE payment = $p", ("$p", id)) is not null ? ProviderPaymentStatus.Open
                : ProviderPaymentStatus.Unknown;
            return new ProviderPaymentState(payment, status, null, null);
        });
    }

    /// <inheritdoc/>
    public ValueTask<SignedNote?> GetCheckpointAsync(CancellationToken cancellationToken) =>
        Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT note FROM checkpoint WHERE one = 1") is byte[] note ? Note(note) : null);

    /// <inheritdoc/>
    public ValueTask<bool> TryReplaceCheckpointAsync(SignedNote? expected, SignedNote checkpoint, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(checkpoint);
        return Write(cancellationToken, (c, t) =>
        {
            using var read = SqliteConnections.Command(c, t, "SELECT note FROM checkpoint WHERE one = 1");
            byte[]? stored = read.ExecuteScalar() as byte[];
            if (!(stored is null ? expected is null : expected is not null && stored.AsSpan().SequenceEqual(expected.Encode())))
            {
                return false;
            }

            Exec(c, t, "INSERT INTO checkpoint (one, note) VALUES (1, $n) ON CONFLICT (one) DO UPDATE SET note = excluded.note", ("$n", checkpoint.Encode()));
            return true;
        });
    }

    /// <inheritdoc/>
    public ValueTask AddSplitViewAsync(SplitViewEvidence evidence, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(evidence);
        return Write(cancellationToken, (c, t) =>
        {
            Exec(c, t, "INSERT OR IGNORE INTO split_views (evidence) VALUES ($e)", ("$e", evidence.Encode()));
        });
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<SplitViewEvidence>> ListSplitViewsAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<SplitViewEvidence>>(cancellationToken, c => SqliteConnections.Rows(c, "SELECT evidence FROM split_views ORDER BY seq", r => SplitView((byte[])r[0])));

    /// <summary>Closes the connection.</summary>
    public void Dispose() => _connection.Dispose();

    // Schema versions (PRAGMA user_version): 1 the first; 2 PB/1 version 2 payment requests; 3 the trusted checkpoint and
    // split-view evidence (PROTOCOL.md 5.13); 4 dues mandates and the requests bound to their periods (5.19). A file of a
    // later version is refused rather than misread.
    private static void Migrate(SqliteConnection connection)
    {
        long version = SqliteConnections.Scalar(connection, "PRAGMA user_version") is long v ? v : 0;
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"The provider store has schema version {version}; this code reads up to {SchemaVersion}.");
        }

        if (version < 1)
        {
            using var transaction = connection.BeginTransaction();
            Exec(connection, transaction, """
                CREATE TABLE IF NOT EXISTS open_requests (payment BLOB PRIMARY KEY, request BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS verified (seq INTEGER PRIMARY KEY AUTOINCREMENT, payment BLOB NOT NULL UNIQUE, request BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS verified_spends (payment BLOB NOT NULL, idx INTEGER NOT NULL, value BLOB NOT NULL, PRIMARY KEY (payment, idx));
                CREATE TABLE IF NOT EXISTS in_flight (one INTEGER PRIMARY KEY CHECK (one = 1), idem TEXT NOT NULL, request BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS settled (payment BLOB PRIMARY KEY, receipt BLOB, outcome INTEGER, reason INTEGER, CHECK ((receipt IS NULL) <> (outcome IS NULL)));
                CREATE TABLE IF NOT EXISTS settled_proofs (payment BLOB NOT NULL, idx INTEGER NOT NULL, value BLOB NOT NULL, PRIMARY KEY (payment, idx));
                PRAGMA user_version = 1;
                """);
            transaction.Commit();
        }

        if (version < 2)
        {
            // Version 2 holds PB/1 version 2 payment requests (issue 16). Requests, spends and proofs of version 1 cannot
            // be decoded any more: a store still holding any is refused rather than misread.
            if (SqliteConnections.Scalar(connection, "SELECT (SELECT COUNT(*) FROM open_requests) + (SELECT COUNT(*) FROM verified) + (SELECT COUNT(*) FROM in_flight) + (SELECT COUNT(*) FROM settled_proofs)") is not 0L)
            {
                throw new InvalidOperationException("The provider store holds PB/1 version 1 payment requests, which this version cannot read: settle them with the earlier release first.");
            }

            using var transaction = connection.BeginTransaction();
            Exec(connection, transaction, "PRAGMA user_version = 2;");
            transaction.Commit();
        }

        if (version < 3)
        {
            using var transaction = connection.BeginTransaction();
            Exec(connection, transaction, """
                CREATE TABLE IF NOT EXISTS checkpoint (one INTEGER PRIMARY KEY CHECK (one = 1), note BLOB NOT NULL);
                CREATE TABLE IF NOT EXISTS split_views (seq INTEGER PRIMARY KEY AUTOINCREMENT, evidence BLOB NOT NULL UNIQUE);
                PRAGMA user_version = 3;
                """);
            transaction.Commit();
        }

        if (version < 4)
        {
            using var transaction = connection.BeginTransaction();
            Exec(connection, transaction, MandatesSchema);
            transaction.Commit();
        }
    }

    // A stored note or evidence that no longer parses is a corrupt row: the same typed error as any other value here.
    private static SignedNote Note(byte[] encoded)
    {
        try
        {
            return SignedNote.Parse(encoded);
        }
        catch (NoteFormatException ex)
        {
            throw new Protocol.Wire.ProtocolFormatException("The stored checkpoint is not a signed note.", ex);
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
            throw new Protocol.Wire.ProtocolFormatException("Stored split-view evidence is malformed.", ex);
        }
    }

    private static int Exec(SqliteConnection c, SqliteTransaction t, string sql, params (string Name, object? Value)[] parameters)
    {
        using var command = SqliteConnections.Command(c, t, sql, parameters);
        return command.ExecuteNonQuery();
    }

    private static byte[] Id(PaymentId payment) => payment.Bytes.ToArray();

    private static DepositRequest? InFlight(SqliteConnection c) => InFlight(c, null);

    private static DepositRequest? InFlight(SqliteConnection c, SqliteTransaction? t)
    {
        using var command = SqliteConnections.Command(c, t, "SELECT request FROM in_flight WHERE one = 1");
        return command.ExecuteScalar() is byte[] encoded ? DepositRequest.Decode(encoded) : null;
    }

    private static bool ClearInFlight(SqliteConnection c, SqliteTransaction t, IdempotencyKey key) =>
        Exec(c, t, "DELETE FROM in_flight WHERE one = 1 AND idem = $i", ("$i", key.Value)) == 1;

    private static void InsertList(SqliteConnection c, SqliteTransaction t, string table, byte[] payment, IEnumerable<byte[]> values)
    {
        using var command = SqliteConnections.Command(c, t, $"INSERT INTO {table} (payment, idx, value) VALUES ($p, $i, $v)", ("$p", payment));
        var index = command.Parameters.Add("$i", SqliteType.Integer);
        var value = command.Parameters.Add("$v", SqliteType.Blob);
        int i = 0;
        foreach (byte[] item in values)
        {
            index.Value = i++;
            value.Value = item;
            command.ExecuteNonQuery();
        }
    }

    private static List<byte[]> List(SqliteConnection c, string table, byte[] payment) =>
        SqliteConnections.Rows(c, $"SELECT value FROM {table} WHERE payment = $p ORDER BY idx", r => (byte[])r[0], ("$p", payment));

    private ValueTask<T> Write<T>(CancellationToken cancellationToken, Func<SqliteConnection, SqliteTransaction, T> change) =>
        ValueTask.FromResult(_connection.Run(cancellationToken, c =>
        {
            using var transaction = c.BeginTransaction();
            var result = change(c, transaction);
            transaction.Commit();
            return result;
        }));

    private ValueTask Write(CancellationToken cancellationToken, Action<SqliteConnection, SqliteTransaction> change)
    {
        _connection.Run(cancellationToken, c =>
        {
            using var transaction = c.BeginTransaction();
            change(c, transaction);
            transaction.Commit();
        });
        return ValueTask.CompletedTask;
    }

    private ValueTask<T> Read<T>(CancellationToken cancellationToken, Func<SqliteConnection, T> query) =>
        ValueTask.FromResult(_connection.Run(cancellationToken, query));
}
