using Wallet.Protocol.Wire;

namespace Wallet.Storage.Postgres.Scheme;

// Refund claims (docs/PROTOCOL.md 5.17): the claim, its refund id and the coins it takes, written in one statement, so
// only the put whose claim went in indexes its refund and coins.
public sealed partial class PostgresSchemeStore
{
    /// <inheritdoc/>
    public ValueTask PutRefundClaimAsync(IdempotencyKey key, StoredRefundClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(claim);
        return WriteAsync(
            cancellationToken,
            """
            WITH head AS (INSERT INTO scheme_refund_claims (idem, request_hash, refund_id, coins, response) VALUES (@i, @h, @r, @c, @s) ON CONFLICT DO NOTHING RETURNING 1),
            ids AS (INSERT INTO scheme_refund_ids (refund_id, idem) SELECT @r, @i WHERE EXISTS (SELECT 1 FROM head) ON CONFLICT DO NOTHING)
            INSERT INTO scheme_refunded_coins (coin, idem)
            SELECT c, @i FROM unnest(@k::bytea[]) WITH ORDINALITY AS x(c, n) WHERE EXISTS (SELECT 1 FROM head) ORDER BY c, n
            ON CONFLICT DO NOTHING
            """,
            ("i", key.Value),
            ("h", claim.RequestHash.ToArray()),
            ("r", claim.Refund.Bytes.ToArray()),
            ("c", claim.Coins.SelectMany(x => x.Bytes.ToArray()).ToArray()),
            ("s", claim.Response?.Encode()),
            ("k", claim.Coins.Select(x => x.Bytes.ToArray()).ToArray()));
    }

    /// <inheritdoc/>
    public ValueTask PutRefundResponseAsync(IdempotencyKey key, RefundClaimResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(response);
        return WriteAsync(cancellationToken, "UPDATE scheme_refund_claims SET response = @s WHERE idem = @i AND response IS NULL", ("s", response.Encode()), ("i", key.Value));
    }

    /// <inheritdoc/>
    public ValueTask<StoredRefundClaim?> GetRefundClaimAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadRowAsync(
            cancellationToken,
            "SELECT request_hash, refund_id, coins, response FROM scheme_refund_claims WHERE idem = @i",
            r => new StoredRefundClaim((byte[])r[0], new RefundId((byte[])r[1]), Coins((byte[])r[2]), r.IsDBNull(3) ? null : RefundClaimResponse.Decode((byte[])r[3])),
            ("i", key.Value));
    }

    /// <inheritdoc/>
    public async ValueTask<IdempotencyKey?> FindRefundClaimAsync(RefundId refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        return await ReadScalarAsync(cancellationToken, "SELECT idem FROM scheme_refund_ids WHERE refund_id = @r", ("r", refund.Bytes.ToArray())).ConfigureAwait(false) is string k
            ? new IdempotencyKey(k)
            : null;
    }

    /// <inheritdoc/>
    public async ValueTask<IdempotencyKey?> FindCoinRefundAsync(CoinId coin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coin);
        return await ReadScalarAsync(cancellationToken, "SELECT idem FROM scheme_refunded_coins WHERE coin = @c", ("c", coin.Bytes.ToArray())).ConfigureAwait(false) is string k
            ? new IdempotencyKey(k)
            : null;
    }

    // The coin ids of a claim, concatenated: a length that is no multiple of 32 is a corrupt row, refused as malformed.
    private static CoinId[] Coins(byte[] packed)
    {
        if (packed.Length == 0 || packed.Length % CoinId.Length != 0)
        {
            throw new ProtocolFormatException("A stored refund claim's coin list is malformed.");
        }

        return [.. packed.Chunk(CoinId.Length).Select(b => new CoinId(b))];
    }
}
