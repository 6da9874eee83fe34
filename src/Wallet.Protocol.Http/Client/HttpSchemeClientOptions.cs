namespace Wallet.Protocol.Http.Client;

/// <summary>Settings of <see cref="HttpSchemeClient"/>: where the scheme is, how long to wait, how often to retry.</summary>
public sealed class HttpSchemeClientOptions
{
    /// <summary>The scheme's base address including the endpoint prefix, for example <c>https://scheme.example/pb1/</c>.</summary>
    public Uri? BaseAddress { get; set; }

    /// <summary>How long one attempt may take before it is abandoned and retried. Default 30 s.</summary>
    public TimeSpan AttemptTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How many attempts in all (1 = no retry). Default 4.</summary>
    public int MaxAttempts { get; set; } = 4;

    /// <summary>The delay before the first retry; doubled each time, capped at 8 times this. Default 200 ms.</summary>
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

        return MaxAttempts is < 1 or > 20 ? "MaxAttempts must be between 1 and 20." : null;
    }
}
