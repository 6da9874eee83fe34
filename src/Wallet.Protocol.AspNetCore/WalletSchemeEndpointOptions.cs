namespace Wallet.Protocol.AspNetCore;

/// <summary>Limits, caching and hooks of the scheme endpoints (docs/http.md "Limits" and "Caching").</summary>
public sealed class WalletSchemeEndpointOptions
{
    /// <summary>The route prefix. Default <c>/pb1</c>.</summary>
    public string Prefix { get; set; } = SchemeRoutes.DefaultPrefix;

    /// <summary>The largest request body accepted, in bytes; larger ones get 413. Default 1 MiB.</summary>
    public int MaxBodyBytes { get; set; } = 1024 * 1024;

    /// <summary>The most items a withdrawal, deposit batch or restore query may carry; more get 400. Default 1024.</summary>
    public int MaxBatchItems { get; set; } = 1024;

    /// <summary>How long clients and caches may keep the keyset directory and registries. Default 60 s.</summary>
    public TimeSpan DirectoryMaxAge { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>How long clients and caches may keep a signed tree head. Default 5 s.</summary>
    public TimeSpan TreeHeadMaxAge { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>
    /// Limits withdrawals per account (partitioned by the account id in the request); a refused lease answers 429
    /// with <c>Retry-After</c>. Null: no limit. The account id is read before the signature is checked, so the
    /// limiter bounds load per claimed account, which an attacker can only spend, never raise.
    /// </summary>
    public PartitionedRateLimiter<AccountId>? WithdrawalRateLimiter { get; set; }

    /// <summary>
    /// Decides from the request (its user, client certificate or headers) whether the caller may withdraw at all, before
    /// the body is read: <see cref="IssuanceAttestation.Unauthenticated"/> answers 401, <see cref="IssuanceAttestation.Forbidden"/>
    /// 403, and nothing is debited or signed. The callback observes <see cref="HttpContext.RequestAborted"/>. Null: every
    /// caller may try (the signed request is still checked against the account's key).
    /// </summary>
    public Func<HttpContext, ValueTask<IssuanceAttestation>>? WithdrawalAttester { get; set; }

    /// <summary>Checks the settings; called when the endpoints are mapped.</summary>
    /// <exception cref="ArgumentException">A setting is out of range.</exception>
    public void Validate()
    {
        if (string.IsNullOrEmpty(Prefix) || Prefix[0] != '/')
        {
            throw new ArgumentException("Prefix must start with '/'.", nameof(Prefix));
        }

        if (MaxBodyBytes < 1024 || MaxBatchItems is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentException("MaxBodyBytes must be at least 1024 and MaxBatchItems within 1..65535.", nameof(MaxBodyBytes));
        }

        if (DirectoryMaxAge < TimeSpan.Zero || TreeHeadMaxAge < TimeSpan.Zero)
        {
            throw new ArgumentException("Cache ages must not be negative.", nameof(DirectoryMaxAge));
        }
    }
}
