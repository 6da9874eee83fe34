using Wallet.Crypto.Notes;
using Wallet.Protocol.Checkpoints;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Http.Client;

/// <summary>
/// <see cref="IWitnessClient"/> over HTTP: C2SP tlog-witness's <c>POST &lt;submission prefix&gt;/add-checkpoint</c>,
/// as <c>samples/Witness.Server</c> and other tlog-witness servers serve it.
/// </summary>
/// <remarks>
/// Answers map to <see cref="WitnessSubmission"/>: 200 with cosignature lines, 409 with a <c>text/x.tlog.size</c> body
/// (old size mismatch) or without one (fork), 404 (unknown origin), 403 (not signed by the log), 422 (inconsistent proof).
/// No answer within the timeout, a connection failure, 408, 429 and 5xx are <see cref="WitnessSubmissionStatus.Unreachable"/>;
/// a malformed body or another status is <see cref="WitnessSubmissionStatus.UnexpectedResponse"/>. Nothing is retried
/// here: the <see cref="CheckpointCosigner"/> asks again in its next round. docs/PROTOCOL.md 5.16.
/// </remarks>
public sealed class HttpWitnessClient : IWitnessClient
{
    /// <summary>How long one call may take unless told otherwise: 10 s.</summary>
    public static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(10);

    private static readonly MediaTypeHeaderValue s_requestType = new("text/plain") { CharSet = "utf-8" };
    private readonly HttpClient _http;
    private readonly TimeSpan _timeout;

    /// <summary>Creates the client.</summary>
    /// <param name="httpClient">The HTTP client (not owned); its own timeout should not be shorter than <paramref name="timeout"/>.</param>
    /// <param name="submissionPrefix">The witness's submission prefix, an absolute http(s) URL such as <c>https://witness.example.org/</c>.</param>
    /// <param name="timeout">How long one call may take, sending and reading the whole answer; default <see cref="DefaultTimeout"/>.</param>
    /// <exception cref="ArgumentNullException"><paramref name="httpClient"/> or <paramref name="submissionPrefix"/> is <see langword="null"/>.</exception>
    /// <exception cref="ArgumentException"><paramref name="submissionPrefix"/> is not an absolute http or https URL, or carries a query or fragment.</exception>
    /// <exception cref="ArgumentOutOfRangeException"><paramref name="timeout"/> is not positive.</exception>
    public HttpWitnessClient(HttpClient httpClient, Uri submissionPrefix, TimeSpan? timeout = null)
    {
        ArgumentNullException.ThrowIfNull(httpClient);
        ArgumentNullException.ThrowIfNull(submissionPrefix);
        if (!submissionPrefix.IsAbsoluteUri || (submissionPrefix.Scheme != Uri.UriSchemeHttp && submissionPrefix.Scheme != Uri.UriSchemeHttps)
            || submissionPrefix.Query.Length > 0 || submissionPrefix.Fragment.Length > 0)
        {
            throw new ArgumentException("The submission prefix is an absolute http or https URL with no query or fragment.", nameof(submissionPrefix));
        }

        _timeout = timeout ?? DefaultTimeout;
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(_timeout, TimeSpan.Zero, nameof(timeout));
        _http = httpClient;
        string prefix = submissionPrefix.AbsoluteUri;
        AddCheckpointUri = new Uri((prefix.EndsWith('/') ? prefix : prefix + "/") + "add-checkpoint");
    }

    /// <summary>Where requests are posted: <c>&lt;submission prefix&gt;/add-checkpoint</c>.</summary>
    public Uri AddCheckpointUri { get; }

    /// <inheritdoc/>
    public async Task<WitnessSubmission> AddCheckpointAsync(AddCheckpointRequest request, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_timeout);
        try
        {
            using var message = new HttpRequestMessage(HttpMethod.Post, AddCheckpointUri) { Content = new ByteArrayContent(request.Encode()) };
            message.Content.Headers.ContentType = s_requestType;
            using HttpResponseMessage response = await _http.SendAsync(message, HttpCompletionOption.ResponseHeadersRead, timeout.Token).ConfigureAwait(false);
            byte[]? body = await ReadAtMostAsync(response.Content, SignedNote.MaxEncodedLength, timeout.Token).ConfigureAwait(false);
            return body is null
                ? WitnessSubmission.UnexpectedResponse($"The witness answered {(int)response.StatusCode} with a body over {SignedNote.MaxEncodedLength} bytes.")
                : Interpret(request, response, body);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return WitnessSubmission.Unreachable($"{AddCheckpointUri} gave no answer within {_timeout.TotalSeconds:0.###} s.");
        }
        catch (HttpRequestException e)
        {
            return WitnessSubmission.Unreachable($"{AddCheckpointUri} could not be reached: {e.Message}");
        }
    }

    private static WitnessSubmission Interpret(AddCheckpointRequest request, HttpResponseMessage response, byte[] body)
    {
        int status = (int)response.StatusCode;
        try
        {
            switch (response.StatusCode)
            {
                case HttpStatusCode.OK:
                    SignedNote note = AddCheckpointResponse.AppendCosignatures(request.Note, body);
                    return WitnessSubmission.Cosigned(note.Signatures[request.Note.Signatures.Length..]);
                case HttpStatusCode.Conflict:
                    // C2SP tlog-witness: a 409 with the size content type is an old-size mismatch; any other is a fork.
                    return response.Content.Headers.ContentType?.MediaType == AddCheckpointResponse.TreeSizeContentType
                        ? WitnessSubmission.OldSizeMismatch(AddCheckpointResponse.ParseTreeSize(body))
                        : WitnessSubmission.Refused(WitnessSubmissionStatus.Fork);
                case HttpStatusCode.NotFound:
                    return WitnessSubmission.Refused(WitnessSubmissionStatus.UnknownOrigin);
                case HttpStatusCode.Forbidden:
                    return WitnessSubmission.Refused(WitnessSubmissionStatus.NotSignedByLog);
                case HttpStatusCode.UnprocessableEntity:
                    return WitnessSubmission.Refused(WitnessSubmissionStatus.InconsistentProof);
                case HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests:
                case >= HttpStatusCode.InternalServerError:
                    return WitnessSubmission.Unreachable($"The witness answered {status}.");
                default:
                    return WitnessSubmission.UnexpectedResponse($"The witness answered {status}.");
            }
        }
        catch (WitnessFormatException e)
        {
            return WitnessSubmission.UnexpectedResponse($"The witness's {status} body is malformed: {e.Message}");
        }
    }

    // The whole body, or null when it is longer than the limit (a witness's answer is a few lines).
    private static async Task<byte[]?> ReadAtMostAsync(HttpContent content, int limit, CancellationToken cancellationToken)
    {
        Stream stream = await content.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false);
        await using (stream.ConfigureAwait(false))
        {
            using var buffer = new MemoryStream();
            byte[] chunk = new byte[8192];
            int read;
            while ((read = await stream.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }

            return buffer.ToArray();
        }
    }
}
