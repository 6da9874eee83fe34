using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Swaps;

namespace Wallet.Storage.Postgres.Scheme;

// Swaps, their input spends and the blind signatures of their outputs (docs/PROTOCOL.md 5.15), written in one
// statement: only the put whose swap row went in indexes its outputs and spends.
public sealed partial class PostgresSchemeStore
{
    /// <inheritdoc/>
    public ValueTask PutSwapAsync(IdempotencyKey key, StoredSwap swap, IReadOnlyList<BlindedMessage> outputs, IReadOnlyList<SwapSpend> spends, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(swap);
        ArgumentNullException.ThrowIfNull(outputs);
        ArgumentNullException.ThrowIfNull(spends);
        if (outputs.Count != swap.Response.BlindSignatures.Length)
        {
            throw new ArgumentException("One blinded message per blind signature.", nameof(outputs));
        }

        foreach (var spend in spends)
        {
            ArgumentNullException.ThrowIfNull(spend, nameof(spends));
        }

        return WriteAsync(
            cancellationToken,
            $"""
            WITH head AS (INSERT INTO scheme_swaps (idem, request_hash, response) VALUES (@i, @h, @r) ON CONFLICT DO NOTHING RETURNING 1),
            outputs AS ({InsertBlindSignatures})
            INSERT INTO scheme_swap_spends (coin, spend)
            SELECT c, s FROM unnest(@c::bytea[], @p::bytea[]) WITH ORDINALITY AS x(c, s, n) WHERE EXISTS (SELECT 1 FROM head) ORDER BY c, n
            ON CONFLICT (coin) DO NOTHING
            """,
            [
                ("i", key.Value),
                ("h", swap.RequestHash.ToArray()),
                ("r", swap.Response.Encode()),
                ("a", null),
                ("b", outputs.Select(o => o.ToArray()).ToArray()),
                ("s", swap.Response.BlindSignatures.Select(s => s.ToArray()).ToArray()),
                .. SpendColumns(spends.Select(s => (s.Coin, s.Encode()))),
            ]);
    }

    /// <inheritdoc/>
    public ValueTask<StoredSwap?> GetSwapAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        return ReadRowAsync(
            cancellationToken,
            "SELECT request_hash, response FROM scheme_swaps WHERE idem = @i",
            r => new StoredSwap((byte[])r[0], SwapResponse.Decode((byte[])r[1])),
            ("i", key.Value));
    }

    /// <inheritdoc/>
    public async ValueTask<SwapSpend?> GetSwapSpendAsync(CoinId coin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coin);
        return await ReadScalarAsync(cancellationToken, "SELECT spend FROM scheme_swap_spends WHERE coin = @c", ("c", coin.Bytes.ToArray())).ConfigureAwait(false) is byte[] s
            ? SwapSpend.Decode(s)
            : null;
    }
}
