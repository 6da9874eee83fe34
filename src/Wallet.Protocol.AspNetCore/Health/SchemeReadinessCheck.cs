using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.AspNetCore.Health;

/// <summary>
/// Readiness of a scheme: its three stores answer (the log's tree head, the scheme store's keysets, a ledger balance)
/// and every keyset a worker may withdraw from now has its blind-signing key attached. The description names what
/// failed by type and keyset id only: never a message that could carry a connection string or a key.
/// </summary>
internal sealed class SchemeReadinessCheck(BenefitScheme scheme) : IHealthCheck
{
    public async Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        IReadOnlyList<KeysetId> unsignable;
        try
        {
            _ = await scheme.GetTreeHeadAsync(cancellationToken).ConfigureAwait(false);
            _ = await ((ISchemeOperator)scheme).GetBalanceAsync(LedgerAccount.Expired, cancellationToken).ConfigureAwait(false);
            unsignable = await scheme.ListUnsignableKeysetsAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            return HealthCheckResult.Unhealthy($"a store did not answer ({e.GetType().Name})");
        }

        return unsignable.Count == 0
            ? HealthCheckResult.Healthy("stores answer; every withdrawable keyset has its signing key")
            : HealthCheckResult.Unhealthy($"no signing key for {unsignable.Count} withdrawable keyset(s): {string.Join(", ", unsignable.Take(8))}");
    }
}
