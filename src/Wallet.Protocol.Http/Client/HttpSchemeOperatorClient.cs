namespace Wallet.Protocol.Http.Client;

/// <summary>
/// <see cref="ISchemeOperator"/> over the authenticated operator API (docs/http.md "Operator API"), with the timeouts,
/// retries and cancellation of <see cref="HttpSchemeClient"/>. Every state-changing call sends an
/// <c>Idempotency-Key</c> (the operation's own key, or a fresh random one per call) that stays the same across its
/// retries, so the server applies it once and answers a retry with the stored response.
/// </summary>
/// <remarks>
/// The <see cref="HttpClient"/> is not owned; register with <c>services.AddHttpSchemeOperatorClient(...)</c> (the named
/// HttpClient then retries), or construct it directly (it then runs the same pipeline, built from the options). A 401
/// (missing or wrong key) and other 4xx problems raise <see cref="SchemeHttpException"/>; the key never appears in
/// <see cref="ToString"/>, logs or exception messages.
/// </remarks>
public sealed class HttpSchemeOperatorClient : ISchemeOperator
{
    private readonly SchemeSender _sender;
    private readonly Uri _baseAddress;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">The HTTP client (not owned).</param>
    /// <param name="options">The settings; <see cref="HttpSchemeClientOptions.BaseAddress"/> of the transport is required.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public HttpSchemeOperatorClient(HttpClient httpClient, HttpSchemeOperatorClientOptions options)
        : this(httpClient, options, null)
    {
    }

    /// <summary>Creates the client; a non-null <paramref name="pipeline"/> replaces the one built from the options (DI passes an empty one: its HttpClient retries).</summary>
    internal HttpSchemeOperatorClient(HttpClient httpClient, HttpSchemeOperatorClientOptions options, ResiliencePipeline<HttpResponseMessage>? pipeline)
    {
        IRemoteRoleOptions.Checked(httpClient, options);
        var authorization = options.OperatorKey is { } key ? new AuthenticationHeaderValue(OperatorRoutes.BearerScheme, key) : null;
        _sender = new SchemeSender(httpClient, options.Transport, pipeline, authorization);
        _baseAddress = options.Transport.BaseAddress!;
    }

    /// <inheritdoc/>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<Ed25519PublicKey> GetPublicKeyAsync(CancellationToken cancellationToken = default) =>
        SchemeSender.Decode(await GetAsync(OperatorRoutes.SchemeKey, OperatorMediaTypes.SchemeKey, cancellationToken).ConfigureAwait(false), b => OperatorEnvelopes.DecodeSchemeKey(b));

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or the request.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task RegisterAccountAsync(AccountId account, Ed25519PublicKey accountKey, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        ArgumentNullException.ThrowIfNull(accountKey);
        byte[] body = await PostAsync(OperatorRoutes.Accounts, OperatorEnvelopes.EncodeAccountKey(account, accountKey), OperatorMediaTypes.AccountKey, OperatorMediaTypes.Ack, null, cancellationToken).ConfigureAwait(false);
        SchemeSender.Decode(body, b => OperatorEnvelopes.DecodeAck(b));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or the request.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<ContributionResult> ContributeAsync(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken = default) =>
        ContributeAsync(key, null, source, worker, amount, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> or <paramref name="worker"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, or refused the credentials or the request.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ContributionResult> ContributeAsync(IdempotencyKey key, AccountId? contributor, ContributionSource source, AccountId worker, Amount amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(worker);
        byte[] body = await PostAsync(OperatorRoutes.Contributions, OperatorEnvelopes.EncodeContribution(key, contributor, source, worker, amount), OperatorMediaTypes.Contribution, OperatorMediaTypes.ContributionResult, key, cancellationToken).ConfigureAwait(false);
        return SchemeSender.Decode(body, b => OperatorEnvelopes.DecodeContributionResult(b));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> or an item of it is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="lines"/> is empty or longer than <see cref="OperatorEnvelopes.MaxPayrollLines"/>.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or the batch (for example more lines than it takes), or answered with another number of results.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    /// <remarks>The batch's <c>Idempotency-Key</c> is fresh per call and kept across its retries; each line is idempotent on its own as well.</remarks>
    public async Task<IReadOnlyList<PayrollLineResult>> ContributeBatchAsync(IReadOnlyList<PayrollLine> lines, CancellationToken cancellationToken = default)
    {
        byte[] request = OperatorEnvelopes.EncodePayrollBatch(lines);
        byte[] body = await PostAsync(OperatorRoutes.PayrollBatches, request, OperatorMediaTypes.PayrollBatch, OperatorMediaTypes.PayrollResults, null, cancellationToken).ConfigureAwait(false);
        var results = SchemeSender.Decode(body, b => OperatorEnvelopes.DecodePayrollResults(b));
        return results.Length == lines.Count
            ? results
            : throw new SchemeHttpException("The scheme answered a payroll batch with another number of results.");
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="amount"/> is zero.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, or refused the credentials or the request.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PayoutResult> PayoutAsync(IdempotencyKey key, AccountId provider, Amount amount, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(provider);
        ArgumentOutOfRangeException.ThrowIfZero(amount.MinorUnits, nameof(amount));
        byte[] body = await PostAsync(OperatorRoutes.Payouts, OperatorEnvelopes.EncodePayout(key, provider, amount), OperatorMediaTypes.Payout, OperatorMediaTypes.PayoutResult, key, cancellationToken).ConfigureAwait(false);
        return SchemeSender.Decode(body, b => OperatorEnvelopes.DecodePayoutResult(b));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or the request (for example a key reused with other parameters).</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<PublishedKeyset> AnnounceKeysetAsync(IdempotencyKey key, KeysetParameters parameters, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(parameters);
        byte[] body = await PostAsync(OperatorRoutes.Keysets, OperatorEnvelopes.EncodeKeysetRequest(key, parameters), OperatorMediaTypes.KeysetParameters, OperatorMediaTypes.Keyset, key, cancellationToken).ConfigureAwait(false);
        var keyset = SchemeSender.Decode(body, b => OperatorEnvelopes.DecodeKeyset(b));

        // The server chose the key; everything else must be what was asked for.
        var descriptor = keyset.Announcement.Descriptor;
        return parameters.Describe(descriptor.PublicKey).Encode().AsSpan().SequenceEqual(descriptor.Encode())
            ? keyset
            : throw new SchemeHttpException("The scheme announced a keyset other than the one asked for.");
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="registry"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or the request.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<bool> PublishRegistryAsync(AccreditationRegistry registry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(registry);
        byte[] body = await PostAsync(OperatorRoutes.Registries, registry.Encode(), OperatorMediaTypes.Registry, OperatorMediaTypes.Published, null, cancellationToken).ConfigureAwait(false);
        return SchemeSender.Decode(body, b => OperatorEnvelopes.DecodePublished(b));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or the request.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<bool> PublishAllocationTableAsync(DefaultAllocationTable table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        byte[] body = await PostAsync(OperatorRoutes.AllocationTables, table.Encode(), OperatorMediaTypes.AllocationTable, OperatorMediaTypes.Published, null, cancellationToken).ConfigureAwait(false);
        return SchemeSender.Decode(body, b => OperatorEnvelopes.DecodePublished(b));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="table"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or the request.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<bool> PublishFundsTableAsync(FundsTable table, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(table);
        byte[] body = await PostAsync(OperatorRoutes.FundsTables, table.Encode(), OperatorMediaTypes.FundsTable, OperatorMediaTypes.Published, null, cancellationToken).ConfigureAwait(false);
        return SchemeSender.Decode(body, b => OperatorEnvelopes.DecodePublished(b));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ExpiryRecord?> ExpireKeysetAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        var entry = await PostLogRecordAsync(OperatorRoutes.Expiries, OperatorEnvelopes.EncodeKeysetId(keyset), OperatorMediaTypes.KeysetId, LogEntryKind.KeysetExpired, cancellationToken).ConfigureAwait(false);
        return entry?.Expiry;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<WithdrawalReversalSummary?> ReverseUnissuedWithdrawalsAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        byte[] body = await PostAsync(OperatorRoutes.Reversals, OperatorEnvelopes.EncodeKeysetId(keyset), OperatorMediaTypes.KeysetId, OperatorMediaTypes.ReversalSummary, null, cancellationToken).ConfigureAwait(false);
        var summary = SchemeSender.Decode(body, b => OperatorEnvelopes.DecodeReversalSummary(b));
        return summary is null || summary.Keyset == keyset ? summary : throw new SchemeHttpException("The scheme answered the reversals of another keyset.");
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<DefaultAllocationRecord?> AllocateExpiredAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        var entry = await PostLogRecordAsync(OperatorRoutes.ExpiredAllocations, OperatorEnvelopes.EncodeKeysetId(keyset), OperatorMediaTypes.KeysetId, LogEntryKind.DefaultAllocated, cancellationToken).ConfigureAwait(false);
        return entry?.Allocation;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or the request.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<DefaultAllocationRecord?> AllocateUnwithdrawnAsync(string round, IReadOnlyList<DefaultAllocationInput> workers, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(round);
        ArgumentNullException.ThrowIfNull(workers);
        var entry = await PostLogRecordAsync(OperatorRoutes.UnwithdrawnAllocations, OperatorEnvelopes.EncodeAllocationRound(round, workers), OperatorMediaTypes.AllocationRound, LogEntryKind.DefaultAllocated, cancellationToken).ConfigureAwait(false);
        return entry?.Allocation;
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="account"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<long> GetBalanceAsync(LedgerAccount account, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(account);
        byte[] body = await ReadAsync(OperatorRoutes.Balance, OperatorEnvelopes.EncodeLedgerAccount(account), OperatorMediaTypes.LedgerAccount, OperatorMediaTypes.Balance, cancellationToken).ConfigureAwait(false);
        return SchemeSender.Decode(body, b => OperatorEnvelopes.DecodeBalance(b));
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="keyset"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<KeysetTotals> GetKeysetTotalsAsync(KeysetId keyset, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(keyset);
        byte[] body = await ReadAsync(OperatorRoutes.KeysetTotals, OperatorEnvelopes.EncodeKeysetId(keyset), OperatorMediaTypes.KeysetId, OperatorMediaTypes.KeysetTotals, cancellationToken).ConfigureAwait(false);
        var totals = SchemeSender.Decode(body, b => OperatorEnvelopes.DecodeKeysetTotals(b));
        return totals.Keyset == keyset ? totals : throw new SchemeHttpException("The scheme answered the totals of another keyset.");
    }

    /// <inheritdoc/>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<LedgerVerification> VerifyLedgerAsync(CancellationToken cancellationToken = default) =>
        SchemeSender.Decode(await GetAsync(OperatorRoutes.LedgerVerification, OperatorMediaTypes.LedgerVerification, cancellationToken).ConfigureAwait(false), b => OperatorEnvelopes.DecodeLedgerVerification(b));

    /// <inheritdoc/>
    public override string ToString() => $"HttpSchemeOperatorClient({_baseAddress})";

    private async Task<byte[]> GetAsync(string path, string accept, CancellationToken cancellationToken) =>
        await _sender.SendAsync(HttpMethod.Get, path, null, null, accept, null, false, cancellationToken).ConfigureAwait(false) ?? [];

    // Writes carry the operation's own key or a fresh random one, the same on every retry of this call.
    private Task<byte[]> PostAsync(string path, byte[] body, string contentType, string accept, IdempotencyKey? key, CancellationToken cancellationToken) =>
        SendPostAsync(path, body, contentType, accept, key?.Value ?? "op-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), cancellationToken);

    // Reads are POSTs only because their arguments are binary bodies; they change nothing, so they carry no key.
    private Task<byte[]> ReadAsync(string path, byte[] body, string contentType, string accept, CancellationToken cancellationToken) =>
        SendPostAsync(path, body, contentType, accept, null, cancellationToken);

    private async Task<byte[]> SendPostAsync(string path, byte[] body, string contentType, string accept, string? idempotencyKey, CancellationToken cancellationToken) =>
        await _sender.SendAsync(HttpMethod.Post, path, body, contentType, accept, idempotencyKey, false, cancellationToken).ConfigureAwait(false) ?? [];

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, refused the credentials or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<LedgerCheckpointRecord?> LogLedgerCheckpointAsync(IdempotencyKey key, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(key);
        byte[] response = await PostAsync(OperatorRoutes.LedgerCheckpoints, OperatorEnvelopes.EncodeLedgerCheckpointRequest(key), OperatorMediaTypes.LedgerCheckpointRequest, OperatorMediaTypes.LogRecord, key, cancellationToken).ConfigureAwait(false);
        return SchemeSender.Decode(response, b => OperatorEnvelopes.DecodeLogRecord(b, LogEntryKind.LedgerCheckpoint))?.LedgerCheckpoint;
    }

    private async Task<LogEntry?> PostLogRecordAsync(string path, byte[] body, string contentType, LogEntryKind kind, CancellationToken cancellationToken)
    {
        byte[] response = await PostAsync(path, body, contentType, OperatorMediaTypes.LogRecord, null, cancellationToken).ConfigureAwait(false);
        return SchemeSender.Decode(response, b => OperatorEnvelopes.DecodeLogRecord(b, kind));
    }
}
