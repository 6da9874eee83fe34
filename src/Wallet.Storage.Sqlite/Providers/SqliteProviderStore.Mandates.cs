using Wallet.Protocol.Mandates;

namespace Wallet.Storage.Sqlite.Providers;

/// <summary>Dues mandates and the requests bound to their periods (docs/PROTOCOL.md 5.19): schema version 4.</summary>
public sealed partial class SqliteProviderStore
{
    // A mandate request is bound to its period in its own table; the paid periods are read by joining it to the settled
    // payments, so the membership ledger moves in the very transaction that settles a deposit.
    private const string MandatesSchema = """
        CREATE TABLE IF NOT EXISTS mandates (mandate BLOB PRIMARY KEY, encoded BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS mandate_requests (payment BLOB PRIMARY KEY, mandate BLOB NOT NULL, period INTEGER NOT NULL);
        CREATE INDEX IF NOT EXISTS mandate_requests_by_mandate ON mandate_requests (mandate);
        PRAGMA user_version = 4;
        """;

    /// <inheritdoc/>
    public ValueTask AddMandateAsync(DuesMandate mandate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        return Write(cancellationToken, (c, t) =>
        {
            Exec(c, t, "INSERT OR IGNORE INTO mandates (mandate, encoded) VALUES ($m, $e)", ("$m", mandate.Id.Bytes.ToArray()), ("$e", mandate.Encode()));
        });
    }

    /// <inheritdoc/>
    public ValueTask<DuesMandate?> GetMandateAsync(MandateId mandate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        return Read(cancellationToken, c =>
            SqliteConnections.Scalar(c, "SELECT encoded FROM mandates WHERE mandate = $m", ("$m", mandate.Bytes.ToArray())) is byte[] encoded ? DuesMandate.Decode(encoded) : null);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DuesMandate>> ListMandatesAsync(CancellationToken cancellationToken) =>
        Read<IReadOnlyList<DuesMandate>>(cancellationToken, c => SqliteConnections.Rows(c, "SELECT encoded FROM mandates ORDER BY mandate", r => DuesMandate.Decode((byte[])r[0])));

    /// <inheritdoc/>
    public ValueTask AddMandateRequestAsync(PaymentRequest request, MandatePeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(period);
        return Write(cancellationToken, (c, t) =>
        {
            byte[] id = Id(request.Id);
            int added = Exec(c, t, """
                INSERT OR IGNORE INTO open_requests (payment, request)
                SELECT $p, $r WHERE NOT EXISTS (SELECT 1 FROM verified WHERE payment = $p) AND NOT EXISTS (SELECT 1 FROM settled WHERE payment = $p)
                """, ("$p", id), ("$r", request.Encode()));
            if (added == 1)
            {
                Exec(c, t, "INSERT OR IGNORE INTO mandate_requests (payment, mandate, period) VALUES ($p, $m, $n)", ("$p", id), ("$m", period.Mandate.Bytes.ToArray()), ("$n", (long)period.Period));
            }
        });
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<uint>> ListPaidPeriodsAsync(MandateId mandate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        return Read<IReadOnlyList<uint>>(cancellationToken, c => SqliteConnections.Rows(
            c,
            "SELECT DISTINCT b.period FROM mandate_requests b JOIN settled s ON s.payment = b.payment WHERE b.mandate = $m AND s.receipt IS NOT NULL ORDER BY b.period",
            r => checked((uint)r.GetInt64(0)),
            ("$m", mandate.Bytes.ToArray())));
    }
}
