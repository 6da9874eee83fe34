using Microsoft.Extensions.DependencyInjection;

namespace Wallet.Hosting.Schemes;

/// <summary>
/// Loads the scheme's blind-signing keys when the host starts (<see cref="BenefitScheme.LoadKeysAsync"/>), so a host
/// whose key store lacks a withdrawable keyset's key fails to start instead of debiting withdrawals it cannot sign.
/// </summary>
/// <remarks>
/// docs/PROTOCOL.md section 8.2. Registered by <c>AddWalletScheme</c>. Hosted services start in registration order and
/// an ASP.NET Core server starts after the app's own ones, so the keys are in place before the first request.
/// </remarks>
internal sealed class SchemeKeyLoader(BenefitScheme scheme, IServiceProvider services) : IHostedService
{
    /// <exception cref="MissingKeysetKeyException">A withdrawable keyset has no key in the store.</exception>
    /// <exception cref="KeysetKeyStoreException">A stored key cannot be opened, or is not its keyset's announced key.</exception>
    /// <exception cref="KeysetSignerUnavailableException">A registered signer source (a signing process) cannot be reached.</exception>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await scheme.LoadKeysAsync(cancellationToken).ConfigureAwait(false);
        // Logging is optional in these registrations (a bare ServiceCollection has none), as for the roles themselves.
        HostingLog.SchemeKeysLoaded(services.GetService<ILoggerFactory>()?.CreateLogger("WalletCore.Hosting") ?? NullLogger.Instance);
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
