namespace Wallet.Protocol.Http.Client;

/// <summary>
/// The one definition of how a PB/1 request is retried (docs/http.md "Client behaviour"): an attempt timeout inside an
/// exponential retry with jitter, both taken from <see cref="HttpSchemeClientOptions"/>. The DI registrations put it on
/// the named HttpClient as a resilience handler; a client built directly over an <see cref="HttpClient"/> runs the same
/// pipeline around its own send.
/// </summary>
internal static class SchemeResilience
{
    /// <summary>The name of the resilience handler on the named clients (its telemetry reads "{client}-pb1").</summary>
    public const string HandlerName = "pb1";

    // The backoff grows to at most this multiple of RetryDelay (HttpSchemeClientOptions.RetryDelay says so).
    private const int MaxBackoffFactor = 8;

    /// <summary>Builds the pipeline for a client constructed without the DI registration.</summary>
    public static ResiliencePipeline<HttpResponseMessage> Build(HttpSchemeClientOptions options)
    {
        var builder = new ResiliencePipelineBuilder<HttpResponseMessage>();
        Configure(builder, options);
        return builder.Build();
    }

    /// <summary>Adds the retry (outer) and the attempt timeout (inner) to <paramref name="builder"/>.</summary>
    public static void Configure(ResiliencePipelineBuilder<HttpResponseMessage> builder, HttpSchemeClientOptions options)
    {
        if (RetryOptions(options) is { } retry)
        {
            builder.AddRetry(retry);
        }

        // Inside the retry, so that each attempt has its own timeout and a timed-out attempt is retried.
        builder.AddTimeout(options.AttemptTimeout);
    }

    /// <summary>The retry of <paramref name="options"/>; null when only one attempt is allowed.</summary>
    public static RetryStrategyOptions<HttpResponseMessage>? RetryOptions(HttpSchemeClientOptions options)
    {
        if (options.MaxAttempts <= 1)
        {
            return null;
        }

        TimeSpan maxRetryAfter = options.MaxRetryAfter;
        return new RetryStrategyOptions<HttpResponseMessage>
        {
            MaxRetryAttempts = options.MaxAttempts - 1,
            Delay = options.RetryDelay,
            MaxDelay = options.RetryDelay * MaxBackoffFactor,
            BackoffType = DelayBackoffType.Exponential,
            // Many wallets that lost the scheme at once must not come back in lockstep.
            UseJitter = true,
            ShouldHandle = args => ValueTask.FromResult(ShouldRetry(args.Outcome, maxRetryAfter, args.Context.CancellationToken)),
            // The server's Retry-After (at most MaxRetryAfter, else ShouldRetry gave up) wins over the backoff.
            DelayGenerator = args => ValueTask.FromResult(args.Outcome.Result?.Headers.RetryAfter?.Delta),
        };
    }

    /// <summary>True for a transport failure, a timed-out attempt, 408, 429 and 5xx; never for the caller's cancellation.</summary>
    public static bool ShouldRetry(Outcome<HttpResponseMessage> outcome, TimeSpan maxRetryAfter, CancellationToken cancellationToken)
    {
        if (cancellationToken.IsCancellationRequested)
        {
            return false;
        }

        if (outcome.Exception is { } exception)
        {
            // An OperationCanceledException the caller did not ask for is a timeout below us (HttpClient.Timeout).
            return exception is HttpRequestException or TimeoutRejectedException or OperationCanceledException;
        }

        var response = outcome.Result!;
        if (!IsTransient(response.StatusCode))
        {
            return false;
        }

        // A server that asks for a longer pause than the caller accepts ends the retries with its answer.
        return response.Headers.RetryAfter?.Delta is not { } wait || wait <= maxRetryAfter;
    }

    /// <summary>The statuses worth another attempt with the same bytes.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;
}
