namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The request handlers behind <c>MapWalletScheme</c>. Each one: read and check the body, decode (400 on any format
/// error), call the scheme, encode the result (200 for every protocol outcome). Unexpected failures are logged here
/// and answered with a bare 500 problem: no exception text leaves the process.
/// </summary>
internal sealed partial class SchemeEndpoints(ISchemeClient scheme, WalletSchemeEndpointOptions options, ILogger logger)
{
    private const string Immutable = "public, max-age=31536000, immutable";

    // The batch calls, one row each: the body's media type and name, how it decodes (null when malformed), how many
    // items it carries, the idempotency key a signed message carries, the scheme call, and the answer's type and encoding.
    private static readonly Batch<WithdrawalRequest, WithdrawalResult> Withdrawals = new(PbMediaTypes.WithdrawalRequest, "withdrawal request", Message<WithdrawalRequest>(), r => r.Items.Length, r => r.IdempotencyKey, (s, r, ct) => s.WithdrawAsync(r, ct), PbMediaTypes.WithdrawalResult, PbEnvelopes.EncodeWithdrawalResult);
    private static readonly Batch<DepositRequest, DepositResult> Deposits = new(PbMediaTypes.DepositRequest, "deposit request", Message<DepositRequest>(), r => r.Spends.Length, r => r.IdempotencyKey, (s, r, ct) => s.DepositAsync(r, ct), PbMediaTypes.DepositResult, PbEnvelopes.EncodeDepositResult);
    private static readonly Batch<SwapRequest, SwapResult> Swaps = new(PbMediaTypes.SwapRequest, "swap request", Message<SwapRequest>(), r => r.Inputs.Length + r.Outputs.Length, r => r.IdempotencyKey, (s, r, ct) => s.SwapAsync(r, ct), PbMediaTypes.SwapResult, PbEnvelopes.EncodeSwapResult);
    private static readonly Batch<RecoveryRequest, SwapResult> Recoveries = new(PbMediaTypes.RecoveryRequest, "recovery request", Message<RecoveryRequest>(), r => r.Inputs.Length + r.Outputs.Length, r => r.IdempotencyKey, (s, r, ct) => s.RecoverAsync(r, ct), PbMediaTypes.SwapResult, PbEnvelopes.EncodeSwapResult);
    private static readonly Batch<Crypto.BlindRsa.BlindedMessage[], IReadOnlyList<Crypto.BlindRsa.BlindSignature?>> SignatureSearches = new(PbMediaTypes.BlindedMessages, "blinded message list", List(b => PbEnvelopes.DecodeBlindedMessages(b, ushort.MaxValue)), m => m.Length, null, (s, m, ct) => s.FindBlindSignaturesAsync(m, ct), PbMediaTypes.BlindSignatures, PbEnvelopes.EncodeBlindSignatures);
    private static readonly Batch<CoinId[], IReadOnlyList<bool>> SpentChecks = new(PbMediaTypes.CoinIds, "coin id list", List(b => PbEnvelopes.DecodeCoinIds(b, ushort.MaxValue)), c => c.Length, null, (s, c, ct) => s.AreSpentAsync(c, ct), PbMediaTypes.SpentFlags, PbEnvelopes.EncodeFlags);

    public Task Withdraw(HttpContext context) => Guard(context, async () =>
    {
        if (!await IssuanceGate.AttestAsync(context, options.WithdrawalAttester).ConfigureAwait(false)
            || await ReadAsync(context, Withdrawals).ConfigureAwait(false) is not { } request)
        {
            return;
        }

        var lease = await IssuanceGate.AcquireAsync(context, options.WithdrawalRateLimiter, request.Account, "Too many withdrawals", "The account's withdrawal rate limit is exhausted.").ConfigureAwait(false);
        if (lease is null)
        {
            return;
        }

        using (lease)
        {
            await AnswerAsync(context, Withdrawals, request).ConfigureAwait(false);
        }
    });

    public Task Deposit(HttpContext context) => Exchange(context, Deposits);

    public Task Swap(HttpContext context) => Exchange(context, Swaps);

    public Task Recover(HttpContext context) => Exchange(context, Recoveries);

    public Task FindBlindSignatures(HttpContext context) => Exchange(context, SignatureSearches);

    public Task AreSpent(HttpContext context) => Exchange(context, SpentChecks);

    public Task Keysets(HttpContext context) => CacheableRead(context, scheme.ListKeysetsAsync, PbMediaTypes.Keysets, JsonViews.Keysets, PbEnvelopes.EncodeKeysets, options.DirectoryMaxAge);

    public Task Registries(HttpContext context) => CacheableRead(context, scheme.ListRegistriesAsync, PbMediaTypes.Registries, JsonViews.Registries, PbEnvelopes.EncodeRegistries, options.DirectoryMaxAge);

    public Task TreeHead(HttpContext context) => CacheableRead(context, scheme.GetTreeHeadAsync, PbMediaTypes.TreeHead, JsonViews.TreeHead, head => head.Encode(), options.TreeHeadMaxAge);

    public Task InclusionProof(HttpContext context) => Proof(context, "index", "tree-size", async (index, size, ct) => (await scheme.GetInclusionProofAsync(index, size, ct).ConfigureAwait(false)).Encode(), PbMediaTypes.InclusionProof);

    public Task ConsistencyProof(HttpContext context) => Proof(context, "old-size", "new-size", async (oldSize, newSize, ct) => (await scheme.GetConsistencyProofAsync(oldSize, newSize, ct).ConfigureAwait(false)).Encode(), PbMediaTypes.ConsistencyProof);

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

    // A signed message decodes with its own format; anything else on the wire is malformed.
    private static Func<byte[], TMessage?> Message<TMessage>()
        where TMessage : ProtocolMessage<TMessage> =>
        body => ProtocolMessage<TMessage>.TryDecode(body, out var message) ? message : null;

    private static Func<byte[], T[]?> List<T>(Func<byte[], T[]> decode) => body =>
    {
        try
        {
            return decode(body);
        }
        catch (ProtocolFormatException)
        {
            return null;
        }
    };

    private Task Exchange<TRequest, TResult>(HttpContext context, Batch<TRequest, TResult> batch)
        where TRequest : class => Guard(context, async () =>
    {
        if (await ReadAsync(context, batch).ConfigureAwait(false) is { } request)
        {
            await AnswerAsync(context, batch, request).ConfigureAwait(false);
        }
    });

    /// <summary>The request, or null when a problem has been answered: checked in the order media type and size, encoding, items, idempotency key.</summary>
    private async Task<TRequest?> ReadAsync<TRequest, TResult>(HttpContext context, Batch<TRequest, TResult> batch)
        where TRequest : class
    {
        byte[]? body = await RequestBodies.ReadAsync(context, batch.MediaType, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        if (batch.Decode(body) is not { } request)
        {
            await Problems.Malformed(context, batch.What).ConfigureAwait(false);
            return null;
        }

        if (batch.Items(request) > options.MaxBatchItems)
        {
            await TooMany(context).ConfigureAwait(false);
            return null;
        }

        return batch.Key is null || await HeaderKeyMatches(context, batch.Key(request)).ConfigureAwait(false) ? request : null;
    }

    private async Task AnswerAsync<TRequest, TResult>(HttpContext context, Batch<TRequest, TResult> batch, TRequest request)
        where TRequest : class
    {
        var result = await batch.Call(scheme, request, context.RequestAborted).ConfigureAwait(false);
        await Write(context, batch.ResultType, batch.Encode(result), "no-store").ConfigureAwait(false);
    }

    // The directory reads: binary by default, JSON when the client asks for it and not for the binary type; cacheable.
    private Task CacheableRead<T>(HttpContext context, Func<CancellationToken, Task<T>> read, string binary, Func<T, byte[]> json, Func<T, byte[]> encode, TimeSpan maxAge) => Guard(context, async () =>
    {
        var value = await read(context.RequestAborted).ConfigureAwait(false);
        bool wantsJson = WantsJson(context, binary);
        await WriteCacheable(context, wantsJson ? PbMediaTypes.Json : binary, wantsJson ? json(value) : encode(value), maxAge).ConfigureAwait(false);
    });

    // The log proofs: two sizes from the query, an immutable answer, and a size outside the log is the caller's mistake.
    private Task Proof(HttpContext context, string first, string second, Func<ulong, ulong, CancellationToken, Task<byte[]>> prove, string mediaType) => Guard(context, async () =>
    {
        if (!TryQuery(context, first, out ulong a) || !TryQuery(context, second, out ulong b))
        {
            await BadParameter(context, $"{first} and {second}").ConfigureAwait(false);
            return;
        }

        try
        {
            byte[] proof = await prove(a, b, context.RequestAborted).ConfigureAwait(false);
            await Write(context, mediaType, proof, Immutable).ConfigureAwait(false);
        }
        catch (ArgumentOutOfRangeException)
        {
            await OutOfRange(context).ConfigureAwait(false);
        }
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

    /// <summary>One batch call of the scheme API (docs/http.md): what it reads, how it checks it, what it calls and answers.</summary>
    private sealed record Batch<TRequest, TResult>(
        string MediaType,
        string What,
        Func<byte[], TRequest?> Decode,
        Func<TRequest, int> Items,
        Func<TRequest, IdempotencyKey>? Key,
        Func<ISchemeClient, TRequest, CancellationToken, Task<TResult>> Call,
        string ResultType,
        Func<TResult, byte[]> Encode)
        where TRequest : class;
}
