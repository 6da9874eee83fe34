namespace Wallet.Protocol.Schemes;

// Refunds to an anonymous payer (docs/PROTOCOL.md 5.17).
public sealed partial class BenefitScheme
{
    private RefundHandler? _refunds;

    private RefundHandler Refunds => _refunds ??= new RefundHandler(_context, refunds: _store, spends: _store, keysets: _store, registries: _store);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    public Task<RefundClaimResult> ClaimRefundAsync(RefundClaimRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        return AfterRefreshAsync(RefreshSignersAsync(request.Outputs.Select(o => o.Keyset), cancellationToken), () => Refunds.ClaimAsync(request, cancellationToken));
    }
}
