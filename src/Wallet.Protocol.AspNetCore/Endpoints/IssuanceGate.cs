namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The two checks in front of every issuing endpoint, each answering its own problem when it refuses: the attester
/// (401 <c>unauthorized</c> or 403 <c>forbidden</c>) and the rate limiter (429 <c>rate-limited</c>, with <c>Retry-After</c>
/// when the lease carries it). Nothing is signed after a refusal.
/// </summary>
internal static class IssuanceGate
{
    /// <summary>True when there is no attester or it allows the caller; otherwise the problem has been answered.</summary>
    public static async Task<bool> AttestAsync(HttpContext context, Func<HttpContext, ValueTask<IssuanceAttestation>>? attester)
    {
        if (attester is null)
        {
            return true;
        }

        var verdict = await attester(context).ConfigureAwait(false) ?? throw new InvalidOperationException("The attester returned null.");
        if (verdict.IsAllowed)
        {
            return true;
        }

        await (verdict.Challenge is { } challenge
            ? Problems.WriteAsync(context, StatusCodes.Status401Unauthorized, ProblemTypes.Unauthorized, "Unauthorized", "The attester did not recognise the caller.", challenge)
            : Problems.WriteAsync(context, StatusCodes.Status403Forbidden, ProblemTypes.Forbidden, "Forbidden", "The attester refused the caller.")).ConfigureAwait(false);
        return false;
    }

    /// <summary>
    /// The acquired lease (a no-op one without a limiter), to dispose once the work is done; null when the limiter
    /// refused, after the 429 problem has been answered.
    /// </summary>
    public static async Task<RateLimitLease?> AcquireAsync<TResource>(HttpContext context, PartitionedRateLimiter<TResource>? limiter, TResource resource, string title, string detail)
    {
        if (limiter is null)
        {
            return NoLimit.Lease;
        }

        var lease = await limiter.AcquireAsync(resource, 1, context.RequestAborted).ConfigureAwait(false);
        if (lease.IsAcquired)
        {
            return lease;
        }

        // Delta-seconds (RFC 9110 section 10.2.3), rounded up so a client that waits never comes back too early.
        string? retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? ((long)Math.Ceiling(Math.Max(wait.TotalSeconds, 0))).ToString(CultureInfo.InvariantCulture)
            : null;
        lease.Dispose();
        await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, title, detail, retryAfter: retryAfter).ConfigureAwait(false);
        return null;
    }

    private sealed class NoLimit : RateLimitLease
    {
        public static readonly NoLimit Lease = new();

        public override bool IsAcquired => true;

        public override IEnumerable<string> MetadataNames => [];

        public override bool TryGetMetadata(string metadataName, out object? metadata)
        {
            metadata = null;
            return false;
        }
    }
}
