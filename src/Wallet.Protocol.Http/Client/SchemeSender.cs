namespace Wallet.Protocol.Http.Client;

/// <summary>
/// Sends one PB/1 request through the resilience pipeline (<see cref="SchemeResilience"/>) and turns the answer into
/// bytes or a <see cref="SchemeHttpException"/>; shared by the scheme, operator and provider clients.
/// </summary>
/// <remarks>
/// The body bytes and the <c>Idempotency-Key</c> are fixed before the first attempt and every attempt sends them, so a
/// retry is a replay the server answers once. When the DI registration put the pipeline on the HttpClient, the client
/// passes <see cref="ResiliencePipeline{T}.Empty"/> here and the handler retries the one message; otherwise this class
/// runs the pipeline around HttpClient.SendAsync itself.
/// </remarks>
internal sealed class SchemeSender
{
    private readonly HttpClient _http;
    private readonly HttpSchemeClientOptions _options;
    private readonly ResiliencePipeline<HttpResponseMessage> _pipeline;
    private readonly Uri _base;
    // Sent on every attempt (the operator client's bearer key); never logged nor put in an exception.
    private readonly AuthenticationHeaderValue? _authorization;

    public SchemeSender(HttpClient http, HttpSchemeClientOptions options, ResiliencePipeline<HttpResponseMessage>? pipeline, AuthenticationHeaderValue? authorization = null)
    {
        _http = http;
        _options = options;
        _pipeline = pipeline ?? SchemeResilience.Build(options);
        _authorization = authorization;
        string address = options.BaseAddress!.AbsoluteUri;
        _base = new Uri(address.EndsWith('/') ? address : address + "/");
    }

    /// <summary>Decodes a response body; an undecodable one is a <see cref="SchemeHttpException"/>, never a partly trusted value.</summary>
    public static T Decode<T>(byte[] body, Func<byte[], T> decode)
    {
        try
        {
            return decode(body);
        }
        catch (Wallet.Protocol.Wire.ProtocolFormatException ex)
        {
            throw new SchemeHttpException("The scheme's response is not a valid encoding.", ex);
        }
    }

    public static async Task<(string? Type, string? Title)> ReadProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        if (response.Content.Headers.ContentType?.MediaType != PbMediaTypes.Problem)
        {
            return (null, null);
        }

        try
        {
            byte[] json = await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            using var doc = JsonDocument.Parse(json);
            string? Field(string name) => doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
            return (Field("type"), Field("title"));
        }
        catch (JsonException)
        {
            return (null, null);
        }
    }

    public async Task<byte[]?> SendAsync(HttpMethod method, string path, byte[]? body, string? contentType, string accept, string? idempotencyKey, bool notFoundIsNull, CancellationToken cancellationToken)
    {
        var request = new Request(method, new Uri(_base, path.TrimStart('/')), body, contentType, accept, idempotencyKey, _authorization);
        using var response = await SendWithRetriesAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            if (response.Content.Headers.ContentType?.MediaType != accept)
            {
                throw new SchemeHttpException($"The scheme answered {response.Content.Headers.ContentType?.MediaType ?? "no media type"} instead of {accept}.");
            }

            return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
        }

        var (type, title) = await ReadProblemAsync(response, cancellationToken).ConfigureAwait(false);
        if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound && type == ProblemTypes.NotFound)
        {
            return null;
        }

        // A 4xx refusal, or the last transient answer once the retries are spent.
        throw new SchemeHttpException($"The scheme answered {(int)response.StatusCode}: {title ?? response.ReasonPhrase}.", response.StatusCode, type);
    }

    private async Task<HttpResponseMessage> SendWithRetriesAsync(Request request, CancellationToken cancellationToken)
    {
        try
        {
            return await _pipeline.ExecuteAsync(
                static async (state, attemptToken) =>
                {
                    // HttpClient sends a message only once, so each attempt gets its own copy of the same bytes and headers.
                    using var message = state.Request.ToMessage();
                    // The body is read inside the attempt, so that a stalled body counts against the attempt's timeout.
                    return await ResponseBufferingHandler.ReadWholeAsync(state.Http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, attemptToken), attemptToken).ConfigureAwait(false);
                },
                (Http: _http, Request: request),
                cancellationToken).ConfigureAwait(false);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested && ex is HttpRequestException or TimeoutRejectedException or OperationCanceledException)
        {
            throw new SchemeHttpException($"The scheme could not be reached after {_options.MaxAttempts} attempt(s).", ex);
        }
    }

    /// <summary>What every attempt sends: one body array and one idempotency key, fixed before the first attempt.</summary>
    private sealed record Request(HttpMethod Method, Uri Uri, byte[]? Body, string? ContentType, string Accept, string? IdempotencyKey, AuthenticationHeaderValue? Authorization)
    {
        public HttpRequestMessage ToMessage()
        {
            var message = new HttpRequestMessage(Method, Uri);
            message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(Accept));
            message.Headers.Authorization = Authorization;
            if (Body is not null)
            {
                // The same array on every attempt: the idempotency key inside it makes a retry a replay.
                message.Content = new ByteArrayContent(Body);
                message.Content.Headers.ContentType = new MediaTypeHeaderValue(ContentType!);
            }

            if (IdempotencyKey is not null)
            {
                message.Headers.TryAddWithoutValidation(SchemeRoutes.IdempotencyKeyHeader, IdempotencyKey);
            }

            return message;
        }
    }
}
