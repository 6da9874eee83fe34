using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Wallet.Protocol.AspNetCore.Health;
using Wallet.Protocol.Schemes;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Health checks for a hosted scheme: liveness, and readiness over its stores and keys (docs/operations.md).</summary>
public static class WalletHealthCheckExtensions
{
    /// <summary>The tag of the checks <see cref="MapWalletHealthChecks"/> runs for readiness.</summary>
    public const string ReadyTag = "ready";

    /// <summary>
    /// Adds the scheme's readiness check, tagged <see cref="ReadyTag"/>: the ledger, scheme and log stores answer and
    /// every keyset a worker may withdraw from now has its blind-signing key
    /// (<see cref="BenefitScheme.ListUnsignableKeysetsAsync"/>). The scheme is resolved from the services.
    /// </summary>
    /// <param name="builder">The health checks builder.</param>
    /// <param name="name">The check's name.</param>
    /// <returns>The builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="builder"/> is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="name"/> is empty.</exception>
    public static IHealthChecksBuilder AddWalletSchemeReadiness(this IHealthChecksBuilder builder, string name = "wallet-scheme")
    {
        ArgumentNullException.ThrowIfNull(builder);
        ArgumentException.ThrowIfNullOrEmpty(name);
        return builder.Add(new HealthCheckRegistration(name, services => new SchemeReadinessCheck(services.GetRequiredService<BenefitScheme>()), HealthStatus.Unhealthy, [ReadyTag]));
    }

    /// <summary>
    /// Maps liveness at <paramref name="livePath"/> (200 while the process serves requests; it runs no check) and
    /// readiness at <paramref name="readyPath"/> (the checks tagged <see cref="ReadyTag"/>: 200 when all pass, 503
    /// otherwise). Both answer GET with plain text: Healthy, Degraded or Unhealthy.
    /// </summary>
    /// <param name="endpoints">The route builder.</param>
    /// <param name="livePath">The liveness path.</param>
    /// <param name="readyPath">The readiness path.</param>
    /// <returns>The route builder.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="endpoints"/> is null.</exception>
    /// <exception cref="ArgumentException">A path is empty or does not start with '/'.</exception>
    public static IEndpointRouteBuilder MapWalletHealthChecks(this IEndpointRouteBuilder endpoints, string livePath = "/healthz/live", string readyPath = "/healthz/ready")
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        foreach (string path in (string[])[livePath, readyPath])
        {
            if (string.IsNullOrEmpty(path) || path[0] != '/')
            {
                throw new ArgumentException("A health path starts with '/'.", nameof(endpoints));
            }
        }

        endpoints.MapHealthChecks(livePath, new HealthCheckOptions { Predicate = _ => false })
            .Probe("getLiveness", "Liveness: 200 Healthy while the process serves requests (runs no check)");
        endpoints.MapHealthChecks(readyPath, new HealthCheckOptions { Predicate = r => r.Tags.Contains(ReadyTag) })
            .Probe("getReadiness", "Readiness: the stores answer and every withdrawable keyset has its signing key");
        return endpoints;
    }
}
