using static Wallet.Storage.Postgres.PostgresSql;
using Wallet.Protocol.Mandates;
using Wallet.Protocol.Payments;

namespace Wallet.Storage.Postgres.Providers;

/// <summary>Dues mandates and the requests bound to their periods (docs/PROTOCOL.md 5.19): schema version 2.</summary>
public sealed partial class PostgresProviderStore
{
    // A mandate request is bound to its period in its own table; the paid periods are read by joining it to the settled
    // payments, so the membership ledger moves in the very transaction that settles a deposit.
    private const string MandatesMigration = """
        CREATE TABLE mandates (mandate bytea PRIMARY KEY, encoded bytea NOT NULL);
        CREATE TABLE mandate_requests (payment bytea PRIMARY KEY, mandate bytea NOT NULL, period bigint NOT NULL);
        CREATE INDEX mandate_requests_by_mandate ON mandate_requests (mandate);
        """;

    /// <inheritdoc/>
    public async ValueTask AddMandateAsync(DuesMandate mandate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        await WriteAsync(cancellationToken, async (c, t) =>
        {
            await ExecAsync(c, t, "INSERT INTO mandates (mandate, encoded) VALUES (@m, @e) ON CONFLICT DO NOTHING", cancellationToken, ("m", mandate.Id.Bytes.ToArray()), ("e", mandate.Encode())).ConfigureAwait(false);
            return true;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<DuesMandate?> GetMandateAsync(MandateId mandate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        return ReadAsync(cancellationToken, async c =>
            await ScalarAsync(c, null, "SELECT encoded FROM mandates WHERE mandate = @m", cancellationToken, ("m", mandate.Bytes.ToArray())).ConfigureAwait(false) is byte[] encoded
                ? DuesMandate.Decode(encoded)
                : null);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<DuesMandate>> ListMandatesAsync(CancellationToken cancellationToken) =>
        ReadAsync<IReadOnlyList<DuesMandate>>(cancellationToken, async c =>
            (await RowsAsync(c, "SELECT encoded FROM mandates ORDER BY mandate", r => (byte[])r[0], cancellationToken).ConfigureAwait(false)).Select(b => DuesMandate.Decode(b)).ToList());

    /// <inheritdoc/>
    public async ValueTask AddMandateRequestAsync(PaymentRequest request, MandatePeriod period, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(period);
        await WriteAsync(cancellationToken, async (c, t) =>
        {
            byte[] id = Id(request.Id);
            int added = await ExecAsync(c, t, """
                INSERT INTO open_requests (payment, request)
                SELECT @p, @r WHERE NOT EXISTS (SELECT 1 FROM verified WHERE payment = @p) AND NOT EXISTS (SELECT 1 FROM settled WHERE payment = @p)
                ON CONFLICT DO NOTHING
                """, cancellationToken, ("p", id), ("r", request.Encode())).ConfigureAwait(false);
            if (added == 1)
            {
                await ExecAsync(c, t, "INSERT INTO mandate_requests (payment, mandate, period) VALUES (@p, @m, @n) ON CONFLICT DO NOTHING", cancellationToken, ("p", id), ("m", period.Mandate.Bytes.ToArray()), ("n", (long)period.Period)).ConfigureAwait(false);
            }

            return true;
        }).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<uint>> ListPaidPeriodsAsync(MandateId mandate, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(mandate);
        return ReadAsync<IReadOnlyList<uint>>(cancellationToken, async c =>
            (await RowsAsync(
                c,
                "SELECT DISTINCT b.period FROM mandate_requests b JOIN settled s ON s.payment = b.payment WHERE b.mandate = @m AND s.receipt IS NOT NULL ORDER BY b.period",
                r => checked((uint)r.GetInt64(0)),
                cancellationToken,
                ("m", mandate.Bytes.ToArray())).ConfigureAwait(false)).ToList());
    }
}
