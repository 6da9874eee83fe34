using Wallet.Protocol.Flows;

namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// What every PB/1 handler does around its work: a client that went away gets nothing, Kestrel's own refusals become
/// typed problems, a scheme that cannot hold its write lock answers 503 <c>unavailable</c>, and any other failure is
/// logged here and answered with a bare 500 (no exception text leaves the process).
/// </summary>
internal static class EndpointGuard
{
    public static async Task RunAsync(HttpContext context, ILogger logger, Func<Task> handle)
    {
        try
        {
            await handle().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away; there is no one to answer.
        }
        catch (BadHttpRequestException ex)
        {
            // Kestrel's own refusals: body over the limit (413), too slow (408), or a broken framing (400).
            var (type, title) = ex.StatusCode switch
            {
                StatusCodes.Status413PayloadTooLarge => (ProblemTypes.BodyTooLarge, "Body too large"),
                StatusCodes.Status408RequestTimeout => (ProblemTypes.RequestTimeout, "Request body too slow"),
                _ => (ProblemTypes.MalformedMessage, "Malformed request"),
            };
            await Problems.WriteAsync(context, ex.StatusCode, type, title).ConfigureAwait(false);
        }
        catch (SchemeWriteLockException ex)
        {
            // The shared write lock is out of reach or was lost mid-request (docs/scaling.md "Several nodes"): not a
            // server fault but a moment without a lock, which the same bytes sent again (here or to another node) get past.
            logger.LogWarning(ex, "PB/1 endpoint {Path} could not hold the scheme's write lock", context.Request.Path.Value);
            await Problems.WriteAsync(context, StatusCodes.Status503ServiceUnavailable, ProblemTypes.Unavailable, "Scheme temporarily unavailable", retryAfter: "1").ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            logger.LogError(ex, "PB/1 endpoint {Path} failed", context.Request.Path.Value);
            await Problems.Internal(context).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The guard of the provider and Privacy Pass endpoints: a client that went away gets nothing, and Kestrel's own
    /// refusals are one "Bad request" problem (413 or malformed). Any other failure is handed to
    /// <paramref name="onFailure"/> and answered with a bare 500 when that is given, and otherwise left to the host.
    /// </summary>
    public static async Task RunPlainAsync(HttpContext context, Func<Task> handle, Action<Exception>? onFailure = null)
    {
        try
        {
            await handle().ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            // The client went away.
        }
        catch (BadHttpRequestException ex)
        {
            await Problems.WriteAsync(context, ex.StatusCode, ex.StatusCode == StatusCodes.Status413PayloadTooLarge ? ProblemTypes.BodyTooLarge : ProblemTypes.MalformedMessage, "Bad request").ConfigureAwait(false);
        }
        catch (Exception ex) when (onFailure is not null)
        {
            onFailure(ex);
            await Problems.Internal(context).ConfigureAwait(false);
        }
    }

    /// <summary>A 200 response with one binary body.</summary>
    public static Task WriteAsync(HttpContext context, string mediaType, byte[] body, string cacheControl)
    {
        context.Response.StatusCode = StatusCodes.Status200OK;
        context.Response.ContentType = mediaType;
        context.Response.ContentLength = body.Length;
        context.Response.Headers.CacheControl = cacheControl;
        return context.Response.Body.WriteAsync(body, context.RequestAborted).AsTask();
    }
}
