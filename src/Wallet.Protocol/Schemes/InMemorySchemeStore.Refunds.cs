namespace Wallet.Protocol.Schemes;

// Refund claims (docs/PROTOCOL.md 5.17), kept encoded like every other value of this store.
public sealed partial class InMemorySchemeStore
{
    private readonly Lock _refundLock = new();
    private readonly Dictionary<IdempotencyKey, (byte[] Hash, byte[] Refund, byte[][] Coins, byte[]? Response)> _refundClaims = [];
    private readonly Dictionary<RefundId, IdempotencyKey> _refundIds = [];
    private readonly Dictionary<CoinId, IdempotencyKey> _refundedCoins = [];

    /// <inheritdoc/>
    public ValueTask PutRefundClaimAsync(IdempotencyKey key, StoredRefundClaim claim, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(claim);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_refundLock)
        {
            if (_refundClaims.TryAdd(key, (claim.RequestHash.ToArray(), claim.Refund.Bytes.ToArray(), [.. claim.Coins.Select(c => c.Bytes.ToArray())], claim.Response?.Encode())))
            {
                _refundIds.TryAdd(claim.Refund, key);
                foreach (var coin in claim.Coins)
                {
                    _refundedCoins.TryAdd(coin, key);
                }
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask PutRefundResponseAsync(IdempotencyKey key, RefundClaimResponse response, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(response);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_refundLock)
        {
            if (_refundClaims.TryGetValue(key, out var stored) && stored.Response is null)
            {
                _refundClaims[key] = stored with { Response = response.Encode() };
            }
        }

        return ValueTask.CompletedTask;
    }

    /// <inheritdoc/>
    public ValueTask<StoredRefundClaim?> GetRefundClaimAsync(IdempotencyKey key, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_refundLock)
        {
            return ValueTask.FromResult(_refundClaims.TryGetValue(key, out var s)
                ? new StoredRefundClaim(s.Hash, new RefundId(s.Refund), [.. s.Coins.Select(c => new CoinId(c))], s.Response is null ? null : RefundClaimResponse.Decode(s.Response))
                : null);
        }
    }

    /// <inheritdoc/>
    public ValueTask<IdempotencyKey?> FindRefundClaimAsync(RefundId refund, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(refund);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_refundLock)
        {
            return ValueTask.FromResult(_refundIds.GetValueOrDefault(refund));
        }
    }

    /// <inheritdoc/>
    public ValueTask<IdempotencyKey?> FindCoinRefundAsync(CoinId coin, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(coin);
        cancellationToken.ThrowIfCancellationRequested();
        lock (_refundLock)
        {
            return ValueTask.FromResult(_refundedCoins.GetValueOrDefault(coin));
        }
    }
}
