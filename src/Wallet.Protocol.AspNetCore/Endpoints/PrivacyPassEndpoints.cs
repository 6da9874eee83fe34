namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>The handlers behind <c>MapPrivacyPassIssuer</c> (RFC 9578 sections 4 and 6).</summary>
internal sealed class PrivacyPassEndpoints(PrivacyPassIssuer issuer, PrivacyPassIssuerOptions options)
{
    // RFC 9578 section 6.1 TokenRequest: 2 + 1 + Nk bytes; a little slack lets the length check answer 422 itself.
    private const int MaxBody = 4 + PrivacyPassIssuer.Nk;

    public Task Directory(HttpContext context)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("issuer-request-uri", options.RequestPath);
            json.WriteStartArray("token-keys");
            json.WriteStartObject();
            json.WriteNumber("token-type", PrivacyPassIssuer.TokenType);
            json.WriteString("token-key", Convert.ToBase64String(issuer.TokenKey).TrimEnd('=').Replace('+', '-').Replace('/', '_'));
            if (issuer.NotBefore is { } notBefore)
            {
                json.WriteNumber("not-before", notBefore.ToUnixTimeSeconds());
            }

            json.WriteEndObject();
            json.WriteEndArray();
            json.WriteEndObject();
        }

        context.Response.ContentType = PrivacyPassMediaTypes.IssuerDirectory;
        context.Response.Headers.CacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={(long)options.DirectoryMaxAge.TotalSeconds}");
        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory, context.RequestAborted).AsTask();
    }

    public Task Issue(HttpContext context) => EndpointGuard.RunPlainAsync(context, async () =>
    {
        // Who may obtain tokens and how many (RFC 9576 section 4): both decided before anything is signed.
        if (!await IssuanceGate.AttestAsync(context, options.Attester).ConfigureAwait(false)
            || await RequestBodies.ReadAsync(context, PrivacyPassMediaTypes.TokenRequest, MaxBody).ConfigureAwait(false) is not { } body)
        {
            return;
        }

        using var lease = await IssuanceGate.AcquireAsync(context, options.RateLimiter, context, "Too many token requests", "The issuer's token limit for this caller is exhausted.").ConfigureAwait(false);
        if (lease is null)
        {
            return;
        }

        if (!issuer.TryIssue(body, out byte[]? response))
        {
            // RFC 9578 section 6.2: unsupported type, unknown truncated key id or wrong size is 422.
            await Problems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, ProblemTypes.InvalidTokenRequest, "Invalid token request").ConfigureAwait(false);
            return;
        }

        await EndpointGuard.WriteAsync(context, PrivacyPassMediaTypes.TokenResponse, response, "no-store").ConfigureAwait(false);
    });
}
