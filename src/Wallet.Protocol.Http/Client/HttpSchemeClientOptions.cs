namespace Wallet.Protocol.Http.Client;

/// <summary>Settings of <see cref="HttpSchemeClient"/>: where the scheme is, how long to wait, how often to retry.</summary>
/// <remarks>
/// The timeout and retry settings become the client's resilience pipeline (Microsoft.Extensions.Http.Resilience): an
/// attempt timeout inside an exponential retry with jitter, on the named HttpClient when registered through DI.
/// </remarks>
public sealed class HttpSchemeClientOptions : IRemoteRoleOptions
{
    private static readonly TimeSpan MinAttemptTimeout = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan MaxAttemptTimeout = TimeSpan.FromDays(1);
    private static readonly TimeSpan MaxRetryDelay = TimeSpan.FromHours(3);

    /// <summary>The scheme's base address including the endpoint prefix, for example <c>https://scheme.example/pb1/</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>How long one attempt (sending and reading the whole response) may take before it is abandoned and retried; 10 ms to 1 day. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many attempts in all (1 = no retry). Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>
    /// The typical delay before the first retry; it grows exponentially with random jitter, capped at 8 times this
    /// (0 to 3 hours; 0 retries at once). Default 200 ms.
    /// </summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromMilliseconds(200);

    /// <summary>The longest <c>Retry-After</c> the client waits for; longer answers end the retries. Default 10 s.</summary>
    public TimeSpan MaxRetryAfter { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Checks the settings; called at registration and by the client's constructor.</summary>
    /// <returns>Null when valid, else the reason.</returns>
    public string? Validate()
    {
        if (BaseAddress is null || !BaseAddress.IsAbsoluteUri)
        {
            return "BaseAddress must be an absolute URI.";
        }

        if (AttemptTimeout <= TimeSpan.Zero || RetryDelay < TimeSpan.Zero || MaxRetryAfter < TimeSpan.Zero)
        {
            return "Timeouts and delays must be positive.";
        }

        // The resilience pipeline's own bounds: a timeout of 10 ms to a day, a backoff (8 x RetryDelay) of at most a day.
        if (AttemptTimeout < MinAttemptTimeout || AttemptTimeout > MaxAttemptTimeout || RetryDelay > MaxRetryDelay)
        {
            return "AttemptTimeout must be between 10 ms and 1 day, and RetryDelay at most 3 hours.";
        }

        return MaxAttempts is < 1 or > 20 ? "MaxAttempts must be between 1 and 20." : null;
    }

    /// <inheritdoc/>
    static string IRemoteRoleOptions.InvalidMessage => "Invalid HttpSchemeClientOptions: set an absolute BaseAddress, positive timeouts and 1..20 attempts.";

    /// <inheritdoc/>
    HttpSchemeClientOptions IRemoteRoleOptions.Transport => this;
}
