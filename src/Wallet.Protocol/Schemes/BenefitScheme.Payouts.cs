namespace Wallet.Protocol.Schemes;

// Payouts (docs/PROTOCOL.md 5.18): a façade over Payouts/PayoutHandler, which holds no state of its own.
public sealed partial class BenefitScheme
{
    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="provider"/> is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    public Task<PayoutResult> PayoutAsync(IdempotencyKey key, AccountId provider, Amount amount, CancellationToken cancellationToken = default) =>
        new PayoutHandler(_context, registries: _store).PayoutAsync(key, provider, amount, cancellationToken);
}
