namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The request handlers behind <c>MapWalletScheme</c>. Each one: read and check the body, decode (400 on any format
/// error), call the scheme, encode the result (200 for every protocol outcome). Unexpected failures are logged here
/// and answered with a bare 500 problem: no exception text leaves the process.
/// </summary>
internal sealed class SchemeEndpoints(ISchemeClient scheme, WalletSchemeEndpointOptions options, ILogger logger)
{
    private const string Immutable = "public, max-age=31536000, immutable";

    public Task Withdraw(HttpContext context) => Guard(context, async () =>
    {
        byte[]? body = await RequestBodies.ReadAsync(context, PbMediaTypes.WithdrawalRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!WithdrawalRequest.TryDecode(body, out var request))
        {
            await Problems.Malformed(context, "withdrawal request").ConfigureAwait(false);
            return;
        }

        if (request.Items.Length > options.MaxBatchItems)
        {
            await TooMany(context).ConfigureAwait(false);
            return;
        }

        if (!await HeaderKeyMatches(context, request.IdempotencyKey).ConfigureAwait(false))
        {
            return;
        }

        RateLimitLease? lease = null;
        if (options.WithdrawalRateLimiter is { } limiter)
        {
            lease = await limiter.AcquireAsync(request.Account, 1, context.RequestAborted).ConfigureAwait(false);
            if (!lease.IsAcquired)
            {
                if (lease.TryGetMetadata(MetadataName.RetryAfter, out var retryAfter))
                {
                    context.Response.Headers.RetryAfter = ((int)Math.Ceiling(retryAfter.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
                }

                lease.Dispose();
                await Problems.WriteAsync(context, StatusCodes.Status429TooManyRequests, ProblemTypes.RateLimited, "Too many withdrawals", "The account's withdrawal rate limit is exhausted.").ConfigureAwait(false);
                return;
            }
        }

        using (lease)
        {
            var result = await scheme.WithdrawAsync(request, context.RequestAborted).ConfigureAwait(false);
            await Write(context, PbMediaTypes.WithdrawalResult, PbEnvelopes.EncodeWithdrawalResult(result), "no-store").ConfigureAwait(false);
        }
    });

    public Task Deposit(HttpContext context) => Guard(context, async () =>
    {
        byte[]? body = await RequestBodies.ReadAsync(context, PbMediaTypes.DepositRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!DepositRequest.TryDecode(body, out var request))
        {
            await Problems.Malformed(context, "deposit request").ConfigureAwait(false);
            return;
        }

        if (request.Spends.Length > options.MaxBatchItems)
        {
            await TooMany(context).ConfigureAwait(false);
            return;
        }

        if (await HeaderKeyMatches(context, request.IdempotencyKey).ConfigureAwait(false))
        {
            var result = await scheme.DepositAsync(request, context.RequestAborted).ConfigureAwait(false);
            await Write(context, PbMediaTypes.DepositResult, PbEnvelopes.EncodeDepositResult(result), "no-store").ConfigureAwait(false);
        }
    });

    public Task Swap(HttpContext context) => Guard(context, async () =>
    {
        byte[]? body = await RequestBodies.ReadAsync(context, PbMediaTypes.SwapRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!SwapRequest.TryDecode(body, out var request))
        {
            await Problems.Malformed(context, "swap request").ConfigureAwait(false);
            return;
        }

        if (request.Inputs.Length + request.Outputs.Length > options.MaxBatchItems)
        {
            await TooMany(context).ConfigureAwait(false);
            return;
        }

        if (await HeaderKeyMatches(context, request.IdempotencyKey).ConfigureAwait(false))
        {
            var result = await scheme.SwapAsync(request, context.RequestAborted).ConfigureAwait(false);
            await Write(context, PbMediaTypes.SwapResult, PbEnvelopes.EncodeSwapResult(result), "no-store").ConfigureAwait(false);
        }
    });

    public Task Recover(HttpContext context) => Guard(context, async () =>
    {
        byte[]? body = await RequestBodies.ReadAsync(context, PbMediaTypes.RecoveryRequest, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        if (!RecoveryRequest.TryDecode(body, out var request))
        {
            await Problems.Malformed(context, "recovery request").ConfigureAwait(false);
            return;
        }

        if (request.Inputs.Length + request.Outputs.Length > options.MaxBatchItems)
        {
            await TooMany(context).ConfigureAwait(false);
            return;
        }

        if (await HeaderKeyMatches(context, request.IdempotencyKey).ConfigureAwait(false))
        {
            var result = await scheme.RecoverAsync(request, context.RequestAborted).ConfigureAwait(false);
            await Write(context, PbMediaTypes.SwapResult, PbEnvelopes.EncodeSwapResult(result), "no-store").ConfigureAwait(false);
        }
    });

    public Task FindBlindSignatures(HttpContext context) => Guard(context, async () =>
    {
        byte[]? body = await RequestBodies.ReadAsync(context, PbMediaTypes.BlindedMessages, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        Crypto.BlindRsa.BlindedMessage[] messages;
        try
        {
            messages = PbEnvelopes.DecodeBlindedMessages(body, ushort.MaxValue);
        }
        catch (ProtocolFormatException)
        {
            await Problems.Malformed(context, "blinded message list").ConfigureAwait(false);
            return;
        }

        if (messages.Length > options.MaxBatchItems)
        {
            await TooMany(context).ConfigureAwait(false);
            return;
        }

        var found = await scheme.FindBlindSignaturesAsync(messages, context.RequestAborted).ConfigureAwait(false);
        await Write(context, PbMediaTypes.BlindSignatures, PbEnvelopes.EncodeBlindSignatures(found), "no-store").ConfigureAwait(false);
    });

    public Task AreSpent(HttpContext context) => Guard(context, async () =>
    {
        byte[]? body = await RequestBodies.ReadAsync(context, PbMediaTypes.CoinIds, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        CoinId[] coins;
        try
        {
            coins = PbEnvelopes.DecodeCoinIds(body, ushort.MaxValue);
        }
        catch (ProtocolFormatException)
        {
            await Problems.Malformed(context, "coin id list").ConfigureAwait(false);
            return;
        }

        if (coins.Length > options.MaxBatchItems)
        {
            await TooMany(context).ConfigureAwait(false);
            return;
        }

        var spent = await scheme.AreSpentAsync(coins, context.RequestAborted).ConfigureAwait(false);
        await Write(context, PbMediaTypes.SpentFlags, PbEnvelopes.EncodeFlags(spent), "no-store").ConfigureAwait(false);
    });

    public Task Keysets(HttpContext context) => Guard(context, async () =>
    {
        var keysets = await scheme.ListKeysetsAsync(context.RequestAborted).ConfigureAwait(false);
        bool json = WantsJson(context, PbMediaTypes.Keysets);
        await WriteCacheable(context, json ? PbMediaTypes.Json : PbMediaTypes.Keysets, json ? JsonViews.Keysets(keysets) : PbEnvelopes.EncodeKeysets(keysets), options.DirectoryMaxAge).ConfigureAwait(false);
    });

    public Task Registries(HttpContext context) => Guard(context, async () =>
    {
        var registries = await scheme.ListRegistriesAsync(context.RequestAborted).ConfigureAwait(false);
        bool json = WantsJson(context, PbMediaTypes.Registries);
        await WriteCacheable(context, json ? PbMediaTypes.Json : PbMediaTypes.Registries, json ? JsonViews.Registries(registries) : PbEnvelopes.EncodeRegistries(registries), options.DirectoryMaxAge).ConfigureAwait(false);
    });

    public Task TreeHead(HttpContext context) => Guard(context, async () =>
    {
        var head = await scheme.GetTreeHeadAsync(context.RequestAborted).ConfigureAwait(false);
        bool json = WantsJson(context, PbMediaTypes.TreeHead);
        await WriteCacheable(context, json ? PbMediaTypes.Json : PbMediaTypes.TreeHead, json ? JsonViews.TreeHead(head) : head.Encode(), options.TreeHeadMaxAge).ConfigureAwait(false);
    });

    public Task InclusionProof(HttpContext context) => Guard(context, async () =>
    {
        if (!TryQuery(context, "index", out ulong index) || !TryQuery(context, "tree-size", out ulong size))
        {
            await BadParameter(context, "index and tree-size").ConfigureAwait(false);
            return;
        }

        try
        {
            var proof = await scheme.GetInclusionProofAsync(index, size, context.RequestAborted).ConfigureAwait(false);
            await Write(context, PbMediaTypes.InclusionProof, proof.Encode(), Immutable).ConfigureAwait(false);
        }
        catch (ArgumentOutOfRangeException)
        {
            await OutOfRange(context).ConfigureAwait(false);
        }
    });

    public Task ConsistencyProof(HttpContext context) => Guard(context, async () =>
    {
        if (!TryQuery(context, "old-size", out ulong oldSize) || !TryQuery(context, "new-size", out ulong newSize))
        {
            await BadParameter(context, "old-size and new-size").ConfigureAwait(false);
            return;
        }

        try
        {
            var proof = await scheme.GetConsistencyProofAsync(oldSize, newSize, context.RequestAborted).ConfigureAwait(false);
            await Write(context, PbMediaTypes.ConsistencyProof, proof.Encode(), Immutable).ConfigureAwait(false);
        }
        catch (ArgumentOutOfRangeException)
        {
            await OutOfRange(context).ConfigureAwait(false);
        }
    });

    public Task LogEntry(HttpContext context) => Guard(context, async () =>
    {
        if (!ulong.TryParse(context.Request.RouteValues["index"] as string, NumberStyles.None, CultureInfo.InvariantCulture, out ulong index))
        {
            await BadParameter(context, "index").ConfigureAwait(false);
            return;
        }

        var entry = await scheme.GetLogEntryAsync(index, context.RequestAborted).ConfigureAwait(false);
        if (entry is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status404NotFound, ProblemTypes.NotFound, "No such log entry").ConfigureAwait(false);
            return;
        }

        // Only entries under a signed head are final (docs/PROTOCOL.md 5.6), so caches keep them briefly, not forever.
        await Write(context, PbMediaTypes.LogEntry, entry.Encode(), "public, max-age=60").ConfigureAwait(false);
    });

    private static bool WantsJson(HttpContext context, string binary)
    {
        var accept = context.Request.GetTypedHeaders().Accept;
        return accept.Any(a => a.MediaType.Equals(PbMediaTypes.Json, StringComparison.OrdinalIgnoreCase))
            && !accept.Any(a => a.MediaType.Equals(binary, StringComparison.OrdinalIgnoreCase));
    }

    private static Task Write(HttpContext context, string mediaType, byte[] body, string cacheControl) =>
        EndpointGuard.WriteAsync(context, mediaType, body, cacheControl);

    private static Task WriteCacheable(HttpContext context, string mediaType, byte[] body, TimeSpan maxAge)
    {
        var etag = new EntityTagHeaderValue("\"" + Convert.ToBase64String(SHA256.HashData(body).AsSpan(0, 16)).TrimEnd('=').Replace('+', '-').Replace('/', '_') + "\"");
        context.Response.Headers.ETag = etag.ToString();
        context.Response.Headers.Vary = "Accept";
        string cacheControl = string.Create(CultureInfo.InvariantCulture, $"public, max-age={(long)maxAge.TotalSeconds}");
        if (context.Request.GetTypedHeaders().IfNoneMatch.Any(e => e.Compare(etag, useStrongComparison: false) || e.Equals(EntityTagHeaderValue.Any)))
        {
            context.Response.StatusCode = StatusCodes.Status304NotModified;
            context.Response.Headers.CacheControl = cacheControl;
            return Task.CompletedTask;
        }

        return Write(context, mediaType, body, cacheControl);
    }

    private static Task TooMany(HttpContext context) =>
        Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.BatchTooLarge, "Batch too large");

    private static Task OutOfRange(HttpContext context) =>
        Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.OutOfRange, "Outside the log", "The index or tree size lies outside the log.");

    private static Task BadParameter(HttpContext context, string names) =>
        Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.InvalidParameter, "Invalid parameter", $"{names} must be unsigned decimal integers.");

    private static bool TryQuery(HttpContext context, string name, out ulong value)
    {
        var raw = context.Request.Query[name];
        value = 0;
        return raw.Count == 1 && ulong.TryParse(raw[0], NumberStyles.None, CultureInfo.InvariantCulture, out value);
    }

    private static async Task<bool> HeaderKeyMatches(HttpContext context, IdempotencyKey key)
    {
        var header = context.Request.Headers[SchemeRoutes.IdempotencyKeyHeader];
        if (header.Count == 0 || (header.Count == 1 && header[0] == key.Value))
        {
            context.Response.Headers[SchemeRoutes.IdempotencyKeyHeader] = key.Value;
            return true;
        }

        await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.IdempotencyKeyMismatch, "Idempotency key mismatch", "The Idempotency-Key header differs from the key in the signed body.").ConfigureAwait(false);
        return false;
    }

    private Task Guard(HttpContext context, Func<Task> handle) => EndpointGuard.RunAsync(context, logger, handle);
}
