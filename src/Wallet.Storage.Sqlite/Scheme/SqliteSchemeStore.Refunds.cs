namespace Wallet.Storage.Sqlite.Scheme;

// Refund claims (docs/PROTOCOL.md 5.17). Tables of their own, created if missing, so no schema version is spent on them.
public sealed partial class SqliteSchemeStore
{
    /// <inheritdoc/>
    public ValueTask PutRefundClaimAsync(IdempotencyKey key, StoredRefundClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(claim);
        return Write(cancellationToken, c =>
        {
            using var insert = SqliteConnections.Command(
                c,
                null,
                "INSERT OR IGNORE INTO refund_claims (idem, request_hash, refund_id, coins, response) VALUES ($i, $h, $r, $c, $s)",
                ("$i", key.Value), ("$h", claim.RequestHash.ToArray()), ("$r", claim.Refund.Bytes.ToArray()),
                ("$c", claim.Coins.SelectMany(x => x.Bytes.ToArray()).ToArray()), ("$s", claim.Response?.Encode()));
            if (insert.ExecuteNonQuery() == 1)
            {
                using var refund = SqliteConnections.Command(c, null, "INSERT OR IGNORE INTO refund_ids (refund_id, idem) VALUES ($r, $i)", ("$r", claim.Refund.Bytes.ToArray()), ("$i", key.Value));
                refund.ExecuteNonQuery();
                foreach (var coin in claim.Coins)
                {
                    using var taken = SqliteConnections.Command(c, null, "INSERT OR IGNORE INTO refunded_coins (coin, idem) VALUES ($c, $i)", ("$c", coin.Bytes.ToArray()), ("$i", key.Value));
                    taken.ExecuteNonQuery();
                }
            }
        });
    }

    /// <inheritdoc/>
    public ValueTask PutRefundResponseAsync(IdempotencyKey key, RefundClaimResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(response);
        return Write(cancellationToken, c => SqliteConnections.Execute(c, "UPDATE refund_claims SET response = $s WHERE idem = $i AND response IS NULL", ("$s", response.Encode()), ("$i", key.Value)));
    }

    /// <inheritdoc/>
    public ValueTask<StoredRefundClaim?> GetRefundClaimAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Read(cancellationToken, c => SqliteConnections.Rows(
            c,
            "SELECT request_hash, refund_id, coins, response FROM refund_claims WHERE idem = $i",
            r => new StoredRefundClaim((byte[])r[0], new RefundId((byte[])r[1]), Coins((byte[])r[2]), r.IsDBNull(3) ? null : RefundClaimResponse.Decode((byte[])r[3])),
            ("$i", key.Value)).FirstOrDefault());
    }

    /// <inheritdoc/>
    public ValueTask<IdempotencyKey?> FindRefundClaimAsync(RefundId refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT idem FROM refund_ids WHERE refund_id = $r", ("$r", refund.Bytes.ToArray())) is string k ? new IdempotencyKey(k) : null);
    }

    /// <inheritdoc/>
    public ValueTask<IdempotencyKey?> FindCoinRefundAsync(CoinId coin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coin);
        return Read(cancellationToken, c => SqliteConnections.Scalar(c, "SELECT idem FROM refunded_coins WHERE coin = $c", ("$c", coin.Bytes.ToArray())) is string k ? new IdempotencyKey(k) : null);
    }

    private static void CreateRefundTables(SqliteConnection connection) => SqliteConnections.Execute(connection, """
        CREATE TABLE IF NOT EXISTS refund_claims (idem TEXT PRIMARY KEY, request_hash BLOB NOT NULL, refund_id BLOB NOT NULL, coins BLOB NOT NULL, response BLOB);
        CREATE TABLE IF NOT EXISTS refund_ids (refund_id BLOB PRIMARY KEY, idem TEXT NOT NULL);
        CREATE TABLE IF NOT EXISTS refunded_coins (coin BLOB PRIMARY KEY, idem TEXT NOT NULL);
        """);

    // The coin ids of a claim, concatenated: a length that is no multiple of 32 is a corrupt row, refused as malformed.
    private static CoinId[] Coins(byte[] packed)
    {
        if (packed.Length == 0 || packed.Length % CoinId.Length != 0)
        {
            throw new Protocol.Wire.ProtocolFormatException("A stored refund claim's coin list is malformed.");
        }

        return [.. packed.Chunk(CoinId.Length).Select(b => new CoinId(b))];
    }
}
