using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using Wallet.Protocol.Binding;

namespace Wallet.Protocol.Http.Client;

/// <summary>
/// One request with per-attempt timeouts and retries of the very same bytes (docs/http.md "Client behaviour"); shared
/// by the scheme, operator and provider clients.
/// </summary>
internal sealed class RetryingSender
{
    private readonly HttpClient _http;
    private readonly HttpSchemeClientOptions _options;
    private readonly Uri _base;
    // Sent on every attempt (the operator client's bearer key); never logged nor put in an exception.
    private readonly AuthenticationHeaderValue? _authorization;

    public RetryingSender(HttpClient http, HttpSchemeClientOptions options, AuthenticationHeaderValue? authorization = null)
    {
        _http = http;
        _options = options;
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

    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || (int)status >= 500;

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
        var uri = new Uri(_base, path.TrimStart('/'));
        TimeSpan delay = _options.RetryDelay;
        for (int attempt = 1; ; attempt++)
        {
            cancellationToken.ThrowIfCancellationRequested();
            bool last = attempt >= _options.MaxAttempts;
            TimeSpan? retryAfter = null;
            Exception? failure;
            using (var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken))
            {
                timeout.CancelAfter(_options.AttemptTimeout);
                try
                {
                    using var message = new HttpRequestMessage(method, uri);
                    message.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue(accept));
                    message.Headers.Authorization = _authorization;
                    if (body is not null)
                    {
                        // The same bytes on every attempt: the idempotency key inside them makes a retry a replay.
                        message.Content = new ByteArrayContent(body);
                        message.Content.Headers.ContentType = new MediaTypeHeaderValue(contentType!);
                    }

                    if (idempotencyKey is not null)
                    {
                        message.Headers.TryAddWithoutValidation(SchemeRoutes.IdempotencyKeyHeader, idempotencyKey);
                    }

                    using var response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
                    if (response.IsSuccessStatusCode)
                    {
                        if (response.Content.Headers.ContentType?.MediaType != accept)
                        {
                            throw new SchemeHttpException($"The scheme answered {response.Content.Headers.ContentType?.MediaType ?? "no media type"} instead of {accept}.");
                        }

                        return await response.Content.ReadAsByteArrayAsync(timeout.Token).ConfigureAwait(false);
                    }

                    var (type, title) = await ReadProblemAsync(response, timeout.Token).ConfigureAwait(false);
                    if (notFoundIsNull && response.StatusCode == HttpStatusCode.NotFound && type == ProblemTypes.NotFound)
                    {
                        return null;
                    }

                    var error = new SchemeHttpException($"The scheme answered {(int)response.StatusCode}: {title ?? response.ReasonPhrase}.", response.StatusCode, type);
                    if (!IsTransient(response.StatusCode))
                    {
                        throw error;
                    }

                    retryAfter = response.Headers.RetryAfter?.Delta;
                    failure = error;
                }
                catch (HttpRequestException ex)
                {
                    failure = ex;
                }
                catch (OperationCanceledException ex) when (!cancellationToken.IsCancellationRequested)
                {
                    failure = ex; // this attempt's own timeout
                }
            }

            if (last || (retryAfter is { } wait && wait > _options.MaxRetryAfter))
            {
                throw failure is SchemeHttpException http ? http : new SchemeHttpException($"The scheme could not be reached after {attempt} attempt(s).", failure);
            }

            await Task.Delay(retryAfter ?? delay, cancellationToken).ConfigureAwait(false);
            delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, _options.RetryDelay.Ticks * 8));
        }
    }
}
