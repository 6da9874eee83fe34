namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>
/// Writes RFC 9457 problem details: a fixed type, title and status per problem, never an exception's text. They go
/// through the host's <see cref="IProblemDetailsService"/>, so an <c>AddProblemDetails</c> customisation applies.
/// </summary>
/// <remarks>
/// The default problem writer only answers requests that accept JSON, and PB/1 clients accept their binary media type;
/// when no registered writer takes the problem (or the host registered no service), it is written here with the same
/// JSON shape and the host's <see cref="ProblemDetailsOptions.CustomizeProblemDetails"/> still applied.
/// </remarks>
internal static class Problems
{
    public static async Task WriteAsync(HttpContext context, int status, string type, string title, string? detail = null, string? wwwAuthenticate = null, string? retryAfter = null)
    {
        if (context.Response.HasStarted)
        {
            return;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.Headers.CacheControl = "no-store";
        if (wwwAuthenticate is not null)
        {
            context.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        }

        if (retryAfter is not null)
        {
            context.Response.Headers.RetryAfter = retryAfter;
        }

        // No Exception on the context: nothing a writer or a customisation is handed can carry exception text.
        var problem = new ProblemDetailsContext
        {
            HttpContext = context,
            ProblemDetails = new ProblemDetails { Type = type, Title = title, Status = status, Detail = detail, Instance = context.Request.Path.Value },
        };
        var services = context.RequestServices;
        if (services.GetService<IProblemDetailsService>() is { } service && await service.TryWriteAsync(problem).ConfigureAwait(false))
        {
            return;
        }

        services.GetService<IOptions<ProblemDetailsOptions>>()?.Value.CustomizeProblemDetails?.Invoke(problem);
        var json = services.GetService<IOptions<Microsoft.AspNetCore.Http.Json.JsonOptions>>()?.Value.SerializerOptions ?? new Microsoft.AspNetCore.Http.Json.JsonOptions().SerializerOptions;
        await context.Response.WriteAsJsonAsync(problem.ProblemDetails, json.GetTypeInfo(problem.ProblemDetails.GetType()), PbMediaTypes.Problem, context.RequestAborted).ConfigureAwait(false);
    }

    public static Task Malformed(HttpContext context, string what) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.MalformedMessage, "Malformed message", $"The body is not a valid {what}.");

    public static Task Internal(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "Internal error");
}
