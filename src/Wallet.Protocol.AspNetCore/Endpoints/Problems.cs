using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Wallet.Protocol.Binding;

namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>Writes RFC 9457 problem details: a fixed type and title per problem, never an exception's text.</summary>
internal static class Problems
{
    public static Task WriteAsync(HttpContext context, int status, string type, string title, string? detail = null, string? wwwAuthenticate = null)
    {
        if (context.Response.HasStarted)
        {
            return Task.CompletedTask;
        }

        context.Response.Clear();
        context.Response.StatusCode = status;
        context.Response.ContentType = PbMediaTypes.Problem;
        context.Response.Headers.CacheControl = "no-store";
        if (wwwAuthenticate is not null)
        {
            context.Response.Headers.WWWAuthenticate = wwwAuthenticate;
        }
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("type", type);
            json.WriteString("title", title);
            json.WriteNumber("status", status);
            if (detail is not null)
            {
                json.WriteString("detail", detail);
            }

            json.WriteString("instance", context.Request.Path.Value);
            json.WriteEndObject();
        }

        context.Response.ContentLength = buffer.WrittenCount;
        return context.Response.Body.WriteAsync(buffer.WrittenMemory).AsTask();
    }

    public static Task Malformed(HttpContext context, string what) =>
        WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.MalformedMessage, "Malformed message", $"The body is not a valid {what}.");

    public static Task Internal(HttpContext context) =>
        WriteAsync(context, StatusCodes.Status500InternalServerError, ProblemTypes.Internal, "Internal error");
}
