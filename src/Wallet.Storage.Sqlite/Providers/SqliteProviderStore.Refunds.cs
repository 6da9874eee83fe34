namespace Wallet.Storage.Sqlite.Providers;

// The coins of credited payments and the refunds signed for them (docs/PROTOCOL.md 5.17). Tables of their own,
// created if missing, so no schema version is spent on them.
public sealed partial class SqliteProviderStore
{
    /// <inheritdoc/>
    public ValueTask PutPaymentCoinsAsync(PaymentId payment, IReadOnlyList<CoinId> coins, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        ArgumentNullException.ThrowIfNull(coins);
        var packed = coins.Order().SelectMany(c => c.Bytes.ToArray()).ToArray();
        return Write(cancellationToken, (c, t) =>
        {
            Exec(c, t, "INSERT OR IGNORE INTO payment_coins (payment, coins) VALUES ($p, $c)", ("$p", Id(payment)), ("$c", packed));
        });
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<CoinId>> GetPaymentCoinsAsync(PaymentId payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return Read<IReadOnlyList<CoinId>>(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT coins FROM payment_coins WHERE payment = $p", ("$p", Id(payment))) is byte[] packed
            ? Coins(packed)
            : []);
    }

    /// <inheritdoc/>
    public ValueTask<bool> AddRefundAsync(ProviderRefund refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return Write(cancellationToken, (c, t) =>
            Exec(c, t, "INSERT OR IGNORE INTO refunds (refund_id, seq, payment, refund) VALUES ($r, (SELECT COUNT(*) FROM refunds), $p, $v)", ("$r", refund.Id.Bytes.ToArray()), ("$p", Id(refund.Payment)), ("$v", refund.Encode())) == 1);
    }

    /// <inheritdoc/>
    public ValueTask<IReadOnlyList<ProviderRefund>> ListRefundsAsync(PaymentId payment, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(payment);
        return Read<IReadOnlyList<ProviderRefund>>(cancellationToken, c => SqliteConnections.Rows(c, "SELECT refund FROM refunds WHERE payment = $p ORDER BY seq", r => ProviderRefund.Decode((byte[])r[0]), ("$p", Id(payment))));
    }

    private static void CreateRefundTables(SqliteConnection connection) => SqliteConnections.Execute(connection, """
        CREATE TABLE IF NOT EXISTS payment_coins (payment BLOB PRIMARY KEY, coins BLOB NOT NULL);
        CREATE TABLE IF NOT EXISTS refunds (refund_id BLOB PRIMARY KEY, seq INTEGER NOT NULL, payment BLOB NOT NULL, refund BLOB NOT NULL);
        CREATE INDEX IF NOT EXISTS refunds_by_payment ON refunds (payment, seq);
        """);

    // A payment's coin ids, concatenated: a length that is no multiple of 32 is a corrupt row, refused as malformed.
    private static CoinId[] Coins(byte[] packed)
    {
        if (packed.Length == 0 || packed.Length % CoinId.Length != 0)
        {
            throw new Protocol.Wire.ProtocolFormatException("A stored payment's coin list is malformed.");
        }

        return [.. packed.Chunk(CoinId.Length).Select(b => new CoinId(b))];
    }
}
