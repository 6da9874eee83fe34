using static Wallet.Storage.Postgres.PostgresSql;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Wire;

namespace Wallet.Storage.Postgres.Providers;

// The coins of credited payments and the refunds signed for them (docs/PROTOCOL.md 5.17). Tables of their own, created
// if missing at open, so no schema version is spent on them.
public sealed partial class PostgresProviderStore
{
    private const string RefundTables = """
        CREATE TABLE IF NOT EXISTS payment_coins (payment bytea PRIMARY KEY, coins bytea NOT NULL);
        CREATE TABLE IF NOT EXISTS refunds (seq bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, refund_id bytea NOT NULL UNIQUE, payment bytea NOT NULL, refund bytea NOT NULL);
        CREATE INDEX IF NOT EXISTS refunds_by_payment ON refunds (payment, seq);
        """;

    /// <inheritdoc/>
    public async ValueTask PutPaymentCoinsAsync(PaymentId payment, IReadOnlyList<CoinId> coins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(coins);
        var packed = coins.Order().SelectMany(c => c.Bytes.ToArray()).ToArray();
        await WriteAsync(cancellationToken, (c, t) =>
            ExecAsync(c, t, "INSERT INTO payment_coins (payment, coins) VALUES (@p, @c) ON CONFLICT DO NOTHING", cancellationToken, ("p", Id(payment)), ("c", packed))).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<CoinId>> GetPaymentCoinsAsync(PaymentId payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return ReadAsync<IReadOnlyList<CoinId>>(cancellationToken, async c =>
            await ScalarAsync(c, null, "SELECT coins FROM payment_coins WHERE payment = @p", cancellationToken, ("p", Id(payment))).ConfigureAwait(false) is byte[] packed
                ? Coins(packed)
                : []);
    }

    /// <inheritdoc/>
    public ValueTask<bool> AddRefundAsync(ProviderRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return WriteAsync(cancellationToken, async (c, t) =>
            await ExecAsync(c, t, "INSERT INTO refunds (refund_id, payment, refund) VALUES (@r, @p, @v) ON CONFLICT DO NOTHING", cancellationToken, ("r", refund.Id.Bytes.ToArray()), ("p", Id(refund.Payment)), ("v", refund.Encode())).ConfigureAwait(false) == 1);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ProviderRefund>> ListRefundsAsync(PaymentId payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return ReadAsync<IReadOnlyList<ProviderRefund>>(cancellationToken, async c =>
            await RowsAsync(c, "SELECT refund FROM refunds WHERE payment = @p ORDER BY seq", r => ProviderRefund.Decode((byte[])r[0]), cancellationToken, ("p", Id(payment))).ConfigureAwait(false));
    }

    // A payment's coin ids, concatenated: a length that is no multiple of 32 is a corrupt row, refused as malformed.
    private static CoinId[] Coins(byte[] packed)
    {
        if (packed.Length == 0 || packed.Length % CoinId.Length != 0)
        {
            throw new ProtocolFormatException("A stored payment's coin list is malformed.");
        }

        return [.. packed.Chunk(CoinId.Length).Select(b => new CoinId(b))];
    }
}
