namespace Wallet.Protocol.AspNetCore.PrivacyPass;

/// <summary>Paths, caching and the issuance hooks of a Privacy Pass issuer (docs/http.md "Privacy Pass").</summary>
/// <remarks>
/// RFC 9576 section 4: the issuer trusts an attester to decide who may obtain tokens, and limits how many each may
/// obtain. Without <see cref="Attester"/> and <see cref="RateLimiter"/> any client obtains as many tokens as it asks
/// for; set both, or guard the endpoint with the host's authorization and rate limiting.
/// </remarks>
public sealed class PrivacyPassIssuerOptions
{
    /// <summary>The issuance path, published as <c>issuer-request-uri</c>. Default <c>/token-request</c>.</summary>
    public string RequestPath { get; set; } = "/token-request";

    /// <summary>How long clients may cache the issuer directory. Default one hour.</summary>
    public TimeSpan DirectoryMaxAge { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// Decides from the request (its user, client certificate or headers) whether the caller may obtain tokens at all,
    /// before the body is read: <see cref="IssuanceAttestation.Unauthenticated"/> answers 401, <see cref="IssuanceAttestation.Forbidden"/>
    /// 403, and nothing is signed. The callback observes <see cref="HttpContext.RequestAborted"/>; it may record the
    /// caller's identity on the context (<see cref="HttpContext.User"/> or <see cref="HttpContext.Items"/>) for
    /// <see cref="RateLimiter"/> to partition on. Null: every caller may obtain tokens.
    /// </summary>
    public Func<HttpContext, ValueTask<IssuanceAttestation>>? Attester { get; set; }

    /// <summary>
    /// Limits token issuance, one permit per token request, partitioned as the host chooses (the attested identity, a
    /// client address); it runs after <see cref="Attester"/>. A refused lease answers 429 <c>rate-limited</c>, with
    /// <c>Retry-After</c> when the lease carries it, and nothing is signed. Null: no limit.
    /// </summary>
    public PartitionedRateLimiter<HttpContext>? RateLimiter { get; set; }

    /// <summary>Checks the settings; called when the endpoints are mapped.</summary>
    /// <exception cref="ArgumentException">The request path does not start with '/', or the cache age is negative.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(RequestPath) || RequestPath[0] != '/')
        {
            throw new ArgumentException("The request path must start with '/'.", nameof(RequestPath));
        }

        if (DirectoryMaxAge < TimeSpan.Zero)
        {
            throw new ArgumentException("The directory cache age must not be negative.", nameof(DirectoryMaxAge));
        }
    }
}
