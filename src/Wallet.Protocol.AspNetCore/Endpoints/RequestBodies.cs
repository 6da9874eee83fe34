namespace Wallet.Protocol.AspNetCore.Endpoints;

/// <summary>Reads a request body with the media type and size checks in a fixed order: type (415), declared size, read size (413), framing (400).</summary>
internal static class RequestBodies
{
    /// <summary>The body, or null when a problem response has been written.</summary>
    public static async Task<byte[]?> ReadAsync(HttpContext context, string mediaType, int maxBytes)
    {
        if (!MediaTypeHeaderValue.TryParse(context.Request.ContentType, out var type)
            || !type.MediaType.Equals(mediaType, StringComparison.OrdinalIgnoreCase))
        {
            await Problems.WriteAsync(context, StatusCodes.Status415UnsupportedMediaType, ProblemTypes.UnsupportedMediaType, "Unsupported media type", $"This endpoint takes {mediaType}.").ConfigureAwait(false);
            return null;
        }

        if (context.Request.ContentLength > maxBytes)
        {
            await TooLarge(context, maxBytes).ConfigureAwait(false);
            return null;
        }

        var sizeFeature = context.Features.Get<IHttpMaxRequestBodySizeFeature>();
        if (sizeFeature is { IsReadOnly: false })
        {
            // Kestrel then refuses chunked bodies past the limit itself, before they reach memory.
            sizeFeature.MaxRequestBodySize = maxBytes;
        }

        int expected = (int)Math.Min(context.Request.ContentLength ?? 4096, maxBytes);
        byte[] rented = ArrayPool<byte>.Shared.Rent(Math.Max(expected, 256) + 1);
        int length = 0;
        try
        {
            while (true)
            {
                if (length == rented.Length)
                {
                    byte[] larger = ArrayPool<byte>.Shared.Rent(Math.Min(rented.Length * 2, maxBytes + 1));
                    rented.AsSpan(0, length).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(rented);
                    rented = larger;
                }

                int read;
                try
                {
                    read = await context.Request.Body.ReadAsync(rented.AsMemory(length), context.RequestAborted).ConfigureAwait(false);
                }
                catch (IOException ex) when (ex is not BadHttpRequestException && !context.RequestAborted.IsCancellationRequested)
                {
                    // Kestrel's own refusals (BadHttpRequestException, an IOException too) carry their status to the guard.
                    // A broken framing it cannot parse (a chunk size past 64 bits, say) comes as a bare IOException:
                    // the client sent a bad body, so it is a 400, never a 500.
                    await Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.MalformedMessage, "Malformed request", "The request body's framing is broken.").ConfigureAwait(false);
                    return null;
                }

                if (read == 0)
                {
                    return rented.AsSpan(0, length).ToArray();
                }

                length += read;
                if (length > maxBytes)
                {
                    await TooLarge(context, maxBytes).ConfigureAwait(false);
                    return null;
                }
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static Task TooLarge(HttpContext context, int maxBytes) =>
        Problems.WriteAsync(context, StatusCodes.Status413PayloadTooLarge, ProblemTypes.BodyTooLarge, "Body too large", $"The limit is {maxBytes} bytes.");
}
