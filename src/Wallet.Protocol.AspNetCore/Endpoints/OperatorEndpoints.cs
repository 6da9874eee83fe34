namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// The request handlers behind <c>MapWalletSchemeOperator</c> (authentication runs before them, as an endpoint
/// convention). Each one: read and check the body, decode (400 on any format error), call the operator surface once
/// per <c>Idempotency-Key</c>, and answer 200 with the encoded result. A request the scheme refuses as invalid
/// (an <see cref="ArgumentException"/>) is a 422 problem without the exception's text.
/// </summary>
internal sealed partial class OperatorEndpoints(ISchemeOperator scheme, WalletSchemeOperatorEndpointOptions options, ILogger logger)
{
    private readonly ResponseMemory _memory = new(options.MaxRememberedResponses);

    /// <summary>What a decoded request asks for: the idempotency key inside its body, if any, and the work.</summary>
    private delegate (IdempotencyKey? BodyKey, Func<CancellationToken, Task<byte[]>> Run) Decoder(byte[] body);

    public Task SchemeKey(HttpContext context) => Guard(context, async () =>
    {
        var key = await scheme.GetPublicKeyAsync(context.RequestAborted).ConfigureAwait(false);
        await EndpointGuard.WriteAsync(context, OperatorMediaTypes.SchemeKey, OperatorEnvelopes.EncodeSchemeKey(key), "no-store").ConfigureAwait(false);
    });

    public Task LedgerVerification(HttpContext context) => Guard(context, async () =>
    {
        var verification = await scheme.VerifyLedgerAsync(context.RequestAborted).ConfigureAwait(false);
        await EndpointGuard.WriteAsync(context, OperatorMediaTypes.LedgerVerification, OperatorEnvelopes.EncodeLedgerVerification(verification), "no-store").ConfigureAwait(false);
    });

    public Task RegisterAccount(HttpContext context) => Handle(context, OperatorMediaTypes.AccountKey, OperatorMediaTypes.Ack, "account key", body =>
    {
        var (account, key) = OperatorEnvelopes.DecodeAccountKey(body);
        return (null, async ct =>
        {
            await scheme.RegisterAccountAsync(account, key, ct).ConfigureAwait(false);
            return OperatorEnvelopes.EncodeAck();
        });
    });

    public Task Contribute(HttpContext context) => Handle(context, OperatorMediaTypes.Contribution, OperatorMediaTypes.ContributionResult, "contribution", body =>
    {
        var (key, contributor, source, worker, amount) = OperatorEnvelopes.DecodeNamedContribution(body);
        return (key, async ct => OperatorEnvelopes.EncodeContributionResult(await scheme.ContributeAsync(key, contributor, source, worker, amount, ct).ConfigureAwait(false)));
    });

    public Task Payout(HttpContext context) => Handle(context, OperatorMediaTypes.Payout, OperatorMediaTypes.PayoutResult, "payout", body =>
    {
        var (key, provider, amount) = OperatorEnvelopes.DecodePayout(body);
        return (key, async ct => OperatorEnvelopes.EncodePayoutResult(await scheme.PayoutAsync(key, provider, amount, ct).ConfigureAwait(false)));
    });

    public Task AnnounceKeyset(HttpContext context) => Handle(context, OperatorMediaTypes.KeysetParameters, OperatorMediaTypes.Keyset, "keyset parameters", body =>
    {
        var (key, parameters) = OperatorEnvelopes.DecodeKeysetRequest(body);
        return (key, async ct => OperatorEnvelopes.EncodeKeyset(await scheme.AnnounceKeysetAsync(key, parameters, ct).ConfigureAwait(false)));
    });

    public Task PublishRegistry(HttpContext context) => Handle(context, OperatorMediaTypes.Registry, OperatorMediaTypes.Published, "registry", b => AccreditationRegistry.Decode(b), scheme.PublishRegistryAsync, OperatorEnvelopes.EncodePublished);

    public Task PublishAllocationTable(HttpContext context) => Handle(context, OperatorMediaTypes.AllocationTable, OperatorMediaTypes.Published, "default-allocation table", b => DefaultAllocationTable.Decode(b), scheme.PublishAllocationTableAsync, OperatorEnvelopes.EncodePublished);

    public Task PublishFundsTable(HttpContext context) => Handle(context, OperatorMediaTypes.FundsTable, OperatorMediaTypes.Published, "funds table", b => FundsTable.Decode(b), scheme.PublishFundsTableAsync, OperatorEnvelopes.EncodePublished);

    public Task ExpireKeyset(HttpContext context) => Handle(context, OperatorMediaTypes.KeysetId, OperatorMediaTypes.LogRecord, "keyset id", b => OperatorEnvelopes.DecodeKeysetId(b), scheme.ExpireKeysetAsync, r => OperatorEnvelopes.EncodeLogRecord(r is { } record ? LogEntry.ForExpiry(record) : null));

    public Task LogLedgerCheckpoint(HttpContext context) => Handle(context, OperatorMediaTypes.LedgerCheckpointRequest, OperatorMediaTypes.LogRecord, "ledger checkpoint request", body =>
    {
        var key = OperatorEnvelopes.DecodeLedgerCheckpointRequest(body);
        return (key, async ct => OperatorEnvelopes.EncodeLogRecord(await scheme.LogLedgerCheckpointAsync(key, ct).ConfigureAwait(false) is { } record ? LogEntry.ForLedgerCheckpoint(record) : null));
    });

    public Task ReverseWithdrawals(HttpContext context) => Handle(context, OperatorMediaTypes.KeysetId, OperatorMediaTypes.ReversalSummary, "keyset id", b => OperatorEnvelopes.DecodeKeysetId(b), scheme.ReverseUnissuedWithdrawalsAsync, OperatorEnvelopes.EncodeReversalSummary);

    public Task AllocateExpired(HttpContext context) => Handle(context, OperatorMediaTypes.KeysetId, OperatorMediaTypes.LogRecord, "keyset id", b => OperatorEnvelopes.DecodeKeysetId(b), scheme.AllocateExpiredAsync, r => OperatorEnvelopes.EncodeLogRecord(r is { } record ? LogEntry.ForAllocation(record) : null));

    public Task AllocateUnwithdrawn(HttpContext context) => Handle(context, OperatorMediaTypes.AllocationRound, OperatorMediaTypes.LogRecord, "allocation round", body =>
    {
        var (round, workers) = OperatorEnvelopes.DecodeAllocationRound(body);
        return (null, async ct => OperatorEnvelopes.EncodeLogRecord(await scheme.AllocateUnwithdrawnAsync(round, workers, ct).ConfigureAwait(false) is { } record ? LogEntry.ForAllocation(record) : null));
    });

    public Task Balance(HttpContext context) => Handle(context, OperatorMediaTypes.LedgerAccount, OperatorMediaTypes.Balance, "ledger account", b => OperatorEnvelopes.DecodeLedgerAccount(b), scheme.GetBalanceAsync, OperatorEnvelopes.EncodeBalance);

    public Task KeysetTotals(HttpContext context) => Handle(context, OperatorMediaTypes.KeysetId, OperatorMediaTypes.KeysetTotals, "keyset id", b => OperatorEnvelopes.DecodeKeysetId(b), scheme.GetKeysetTotalsAsync, OperatorEnvelopes.EncodeKeysetTotals);

    // An operation whose body is its one argument and carries no idempotency key of its own.
    private Task Handle<TArgument, TResult>(HttpContext context, string requestType, string responseType, string what, Func<byte[], TArgument> decode, Func<TArgument, CancellationToken, Task<TResult>> call, Func<TResult, byte[]> encode) =>
        Handle(context, requestType, responseType, what, body =>
        {
            var argument = decode(body);
            return (null, async ct => encode(await call(argument, ct).ConfigureAwait(false)));
        });

    private Task Handle(HttpContext context, string requestType, string responseType, string what, Decoder decode) => Guard(context, async () =>
    {
        byte[]? body = await RequestBodies.ReadAsync(context, requestType, options.MaxBodyBytes).ConfigureAwait(false);
        if (body is null)
        {
            return;
        }

        IdempotencyKey? bodyKey;
        Func<CancellationToken, Task<byte[]>> run;
        try
        {
            (bodyKey, run) = decode(body);
        }
        catch (Exception ex) when (ex is ProtocolFormatException or ArgumentException or CryptographicException)
        {
            await Problems.Malformed(context, what).ConfigureAwait(false);
            return;
        }
        catch (BatchTooLargeException)
        {
            await BatchTooLarge(context, options.MaxPayrollLines).ConfigureAwait(false);
            return;
        }

        // The header is checked against the token rules before anything echoes it: a response header with a control or
        // non-ASCII character makes Kestrel throw while answering.
        var header = context.Request.Headers[SchemeRoutes.IdempotencyKeyHeader];
        if (header.Count > 1 || (header.Count == 1 && !IsToken(header[0])) || (header.Count == 1 && bodyKey is not null && header[0] != bodyKey.Value))
        {
            await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.IdempotencyKeyMismatch, "Idempotency key mismatch", "Send one Idempotency-Key, equal to the key in the body when the body has one.").ConfigureAwait(false);
            return;
        }

        string? key = header.Count == 1 ? header[0] : bodyKey?.Value;
        byte[]? response;
        try
        {
            if (key is null)
            {
                response = await run(context.RequestAborted).ConfigureAwait(false);
            }
            else
            {
                context.Response.Headers[SchemeRoutes.IdempotencyKeyHeader] = key;
                response = await _memory.RunOnceAsync(context.Request.Path.Value + "\n" + key, SHA256.HashData(body), () => run(context.RequestAborted)).ConfigureAwait(false);
            }
        }
        catch (ArgumentException)
        {
            await Problems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, ProblemTypes.RejectedOperation, "Operation refused", $"The scheme refused this {what}.").ConfigureAwait(false);
            return;
        }

        if (response is null)
        {
            await Problems.WriteAsync(context, StatusCodes.Status422UnprocessableEntity, ProblemTypes.IdempotencyKeyReused, "Idempotency key reused", "This Idempotency-Key was used with another body.").ConfigureAwait(false);
            return;
        }

        await EndpointGuard.WriteAsync(context, responseType, response, "no-store").ConfigureAwait(false);
    });

    private Task Guard(HttpContext context, Func<Task> handle) => EndpointGuard.RunAsync(context, logger, handle);

    // The rules of IdempotencyKey: 1 to 128 printable ASCII characters, no spaces.
    private static bool IsToken(string? value) =>
        value is { Length: > 0 and <= IdempotencyKey.MaxLength } && value.All(c => c is >= (char)0x21 and <= (char)0x7E);
}
