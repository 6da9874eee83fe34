using Wallet.Crypto.Notes;

namespace Wallet.Protocol.Http.Client;

/// <summary>
/// <see cref="ISchemeClient"/> over HTTP: the same calls as the in-process scheme, carried as canonical binary bodies
/// (docs/http.md). Each attempt has its own timeout; transport failures, timeouts, 408, 429 and 5xx are retried with
/// exponential backoff and jitter (Microsoft.Extensions.Http.Resilience) and the very same body, so a state-changing
/// request is replayed under its own idempotency key and the scheme answers it once. Caller cancellation stops at once
/// and is never retried.
/// </summary>
/// <remarks>
/// Register with <c>services.AddHttpSchemeClient(...)</c>: the named HttpClient then carries the retry and attempt
/// timeout as a resilience handler. A client built with this constructor runs the same pipeline, built from the
/// options, around its own sends; give it an <see cref="HttpClient"/> without retry handlers of its own (not owned).
/// A 4xx problem response (a request the server refuses as malformed) raises <see cref="SchemeHttpException"/>;
/// protocol outcomes are results, as in process.
/// </remarks>
public sealed partial class HttpSchemeClient : ISchemeClient
{
    // The state-changing calls, one row each: where the signed message goes, its media type, the answer's, how that decodes.
    private static readonly Exchange<WithdrawalRequest, WithdrawalResult> Withdrawal = new(SchemeRoutes.Withdrawals, PbMediaTypes.WithdrawalRequest, PbMediaTypes.WithdrawalResult, r => r.IdempotencyKey, b => PbEnvelopes.DecodeWithdrawalResult(b));
    private static readonly Exchange<DepositRequest, DepositResult> Deposit = new(SchemeRoutes.Deposits, PbMediaTypes.DepositRequest, PbMediaTypes.DepositResult, r => r.IdempotencyKey, b => PbEnvelopes.DecodeDepositResult(b));
    private static readonly Exchange<SwapRequest, SwapResult> Swap = new(SchemeRoutes.Swaps, PbMediaTypes.SwapRequest, PbMediaTypes.SwapResult, r => r.IdempotencyKey, b => PbEnvelopes.DecodeSwapResult(b));
    private static readonly Exchange<RecoveryRequest, SwapResult> Recovery = new(SchemeRoutes.Recoveries, PbMediaTypes.RecoveryRequest, PbMediaTypes.SwapResult, r => r.IdempotencyKey, b => PbEnvelopes.DecodeSwapResult(b));

    // C2SP tlog-tiles serves the checkpoint as text (docs/http.md "Tiled log").
    private const string CheckpointMediaType = "text/plain";

    private readonly SchemeSender _sender;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">The HTTP client (not owned).</param>
    /// <param name="options">The settings; <see cref="HttpSchemeClientOptions.BaseAddress"/> is required.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">The options are invalid.</exception>
    public HttpSchemeClient(HttpClient httpClient, HttpSchemeClientOptions options)
        : this(httpClient, options, null)
    {
    }

    /// <summary>Creates the client; a non-null <paramref name="pipeline"/> replaces the one built from the options (DI passes an empty one: its HttpClient retries).</summary>
    internal HttpSchemeClient(HttpClient httpClient, HttpSchemeClientOptions options, ResiliencePipeline<HttpResponseMessage>? pipeline) =>
        _sender = new SchemeSender(httpClient, IRemoteRoleOptions.Checked(httpClient, options), pipeline);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or refused the request as malformed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<WithdrawalResult> WithdrawAsync(WithdrawalRequest request, CancellationToken cancellationToken = default) => PostMessageAsync(Withdrawal, request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or refused the request as malformed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<DepositResult> DepositAsync(DepositRequest request, CancellationToken cancellationToken = default) => PostMessageAsync(Deposit, request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or refused the request as malformed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<SwapResult> SwapAsync(SwapRequest request, CancellationToken cancellationToken = default) => PostMessageAsync(Swap, request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="request"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or refused the request as malformed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public Task<SwapResult> RecoverAsync(RecoveryRequest request, CancellationToken cancellationToken = default) => PostMessageAsync(Recovery, request, cancellationToken);

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="blindedMessages"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or refused the request as malformed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<BlindSignature?>> FindBlindSignaturesAsync(IReadOnlyList<BlindedMessage> blindedMessages, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(blindedMessages);
        var found = await PostAsync(SchemeRoutes.RestoreSignatures, PbEnvelopes.EncodeBlindedMessages(blindedMessages), PbMediaTypes.BlindedMessages, PbMediaTypes.BlindSignatures, null, b => PbEnvelopes.DecodeBlindSignatures(b), cancellationToken).ConfigureAwait(false);
        return found.Length == blindedMessages.Count ? found : throw new SchemeHttpException("The scheme answered a different number of blind signatures.");
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentNullException"><paramref name="coins"/> is null.</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or refused the request as malformed.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<bool>> AreSpentAsync(IReadOnlyList<CoinId> coins, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(coins);
        var flags = await PostAsync(SchemeRoutes.RestoreSpent, PbEnvelopes.EncodeCoinIds(coins), PbMediaTypes.CoinIds, PbMediaTypes.SpentFlags, null, b => PbEnvelopes.DecodeFlags(b), cancellationToken).ConfigureAwait(false);
        return flags.Length == coins.Count ? flags : throw new SchemeHttpException("The scheme answered a different number of spent flags.");
    }

    /// <inheritdoc/>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<PublishedKeyset>> ListKeysetsAsync(CancellationToken cancellationToken = default)
    {
        return await GetAsync(SchemeRoutes.Keysets, PbMediaTypes.Keysets, b => PbEnvelopes.DecodeKeysets(b), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<IReadOnlyList<AccreditationRegistry>> ListRegistriesAsync(CancellationToken cancellationToken = default)
    {
        return await GetAsync(SchemeRoutes.Registries, PbMediaTypes.Registries, b => PbEnvelopes.DecodeRegistries(b), cancellationToken).ConfigureAwait(false);
    }

    /// <inheritdoc/>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<SignedTreeHead> GetTreeHeadAsync(CancellationToken cancellationToken = default)
    {
        byte[] body = await _sender.SendAsync(HttpMethod.Get, SchemeRoutes.TreeHead, null, null, PbMediaTypes.TreeHead, null, false, cancellationToken).ConfigureAwait(false) ?? [];
        return SignedTreeHead.TryDecode(body, out var head) ? head : throw Garbage();
    }

    /// <inheritdoc/>
    /// <remarks>
    /// GET <c>checkpoint</c> under the base address, which the server maps with <c>MapWalletSchemeTiles</c> under the
    /// same prefix (docs/http.md "Tiled log"). The note is parsed, not verified: apply a <c>WitnessPolicy</c>.
    /// </remarks>
    /// <exception cref="SchemeHttpException">The scheme could not be reached, or its answer is not a signed checkpoint note.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<SignedNote> GetCheckpointAsync(CancellationToken cancellationToken = default)
    {
        byte[] body = await _sender.SendAsync(HttpMethod.Get, SchemeRoutes.Checkpoint, null, null, CheckpointMediaType, null, false, cancellationToken).ConfigureAwait(false) ?? [];
        try
        {
            SignedNote note = SignedNote.Parse(body);
            _ = Checkpoint.Parse(note.Text);
            return note;
        }
        catch (NoteFormatException ex)
        {
            throw new SchemeHttpException("The scheme's checkpoint is not a signed checkpoint note.", ex);
        }
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">The index or size is outside the log (the scheme said so).</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<InclusionProof> GetInclusionProofAsync(ulong index, ulong treeSize, CancellationToken cancellationToken = default)
    {
        string path = string.Create(CultureInfo.InvariantCulture, $"{SchemeRoutes.InclusionProof}?index={index}&tree-size={treeSize}");
        byte[] body = await SendRangeAsync(path, PbMediaTypes.InclusionProof, nameof(index), cancellationToken).ConfigureAwait(false);
        return InclusionProof.TryDecode(body, out var proof) ? proof : throw Garbage();
    }

    /// <inheritdoc/>
    /// <exception cref="ArgumentOutOfRangeException">A size is outside the log (the scheme said so).</exception>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<ConsistencyProof> GetConsistencyProofAsync(ulong oldSize, ulong newSize, CancellationToken cancellationToken = default)
    {
        string path = string.Create(CultureInfo.InvariantCulture, $"{SchemeRoutes.ConsistencyProof}?old-size={oldSize}&new-size={newSize}");
        byte[] body = await SendRangeAsync(path, PbMediaTypes.ConsistencyProof, nameof(oldSize), cancellationToken).ConfigureAwait(false);
        return ConsistencyProof.TryDecode(body, out var proof) ? proof : throw Garbage();
    }

    /// <inheritdoc/>
    /// <exception cref="SchemeHttpException">The scheme could not be reached or answered garbage.</exception>
    /// <exception cref="OperationCanceledException">The caller cancelled.</exception>
    public async Task<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken = default)
    {
        string path = string.Create(CultureInfo.InvariantCulture, $"{SchemeRoutes.LogEntries}/{index}");
        byte[]? body = await _sender.SendAsync(HttpMethod.Get, path, null, null, PbMediaTypes.LogEntry, null, true, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return null;
        }

        return LogEntry.TryDecode(body, out var entry) ? entry : throw Garbage();
    }

    private static T Decode<T>(byte[] body, Func<byte[], T> decode) => SchemeSender.Decode(body, decode);

    // Every PB/1 call that answers with a body: send, read an absent body as empty, decode it as the answer's type.
    private async Task<T> PostAsync<T>(string route, byte[] content, string contentType, string accept, string? idempotencyKey, Func<byte[], T> decode, CancellationToken cancellationToken)
    {
        byte[] body = await _sender.SendAsync(HttpMethod.Post, route, content, contentType, accept, idempotencyKey, false, cancellationToken).ConfigureAwait(false) ?? [];
        return Decode(body, decode);
    }

    // A signed message, sent under its own idempotency key so that every retry is a replay the scheme answers once.
    private async Task<TResult> PostMessageAsync<TRequest, TResult>(Exchange<TRequest, TResult> exchange, TRequest request, CancellationToken cancellationToken)
        where TRequest : Wire.ProtocolMessage<TRequest>
    {
        ArgumentNullException.ThrowIfNull(request);
        return await PostAsync(exchange.Route, request.Encode(), exchange.ContentType, exchange.Accept, exchange.Key(request).Value, exchange.Decode, cancellationToken).ConfigureAwait(false);
    }

    private async Task<T> GetAsync<T>(string route, string accept, Func<byte[], T> decode, CancellationToken cancellationToken)
    {
        byte[] body = await _sender.SendAsync(HttpMethod.Get, route, null, null, accept, null, false, cancellationToken).ConfigureAwait(false) ?? [];
        return Decode(body, decode);
    }

    private static SchemeHttpException Garbage() => new("The scheme's response is not a valid encoding.");

    private async Task<byte[]> SendRangeAsync(string path, string accept, string parameter, CancellationToken cancellationToken)
    {
        try
        {
            return await _sender.SendAsync(HttpMethod.Get, path, null, null, accept, null, false, cancellationToken).ConfigureAwait(false) ?? [];
        }
        catch (SchemeHttpException ex) when (ex.ProblemType == ProblemTypes.OutOfRange)
        {
            // Same contract as the in-process scheme: a size outside the log is the caller's mistake.
            throw new ArgumentOutOfRangeException(parameter, ex.Message);
        }
    }

    /// <summary>One state-changing call of the scheme API (docs/http.md).</summary>
    private sealed record Exchange<TRequest, TResult>(string Route, string ContentType, string Accept, Func<TRequest, IdempotencyKey> Key, Func<byte[], TResult> Decode);
}
