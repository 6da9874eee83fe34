namespace Wallet.Protocol.Http.Client;

/// <summary>
/// Reads the whole response body inside the attempt, below the resilience handler: a body that stalls or breaks off is
/// then a timed-out or failed attempt and is retried like a lost connection. PB/1 bodies are small and bounded.
/// </summary>
internal sealed class ResponseBufferingHandler : DelegatingHandler
{
    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken) =>
        ReadWholeAsync(base.SendAsync(request, cancellationToken), cancellationToken);

    /// <summary>
    /// Awaits the response to <paramref name="sending"/> and reads its whole body into memory; a response whose body
    /// fails is disposed. Also what <see cref="SchemeSender"/> runs inside each attempt of its own pipeline.
    /// </summary>
    internal static async Task<HttpResponseMessage> ReadWholeAsync(Task<HttpResponseMessage> sending, CancellationToken cancellationToken)
    {
        var response = await sending.ConfigureAwait(false);
        try
        {
            await response.Content.LoadIntoBufferAsync(cancellationToken).ConfigureAwait(false);
            return response;
        }
        catch
        {
            response.Dispose();
            throw;
        }
    }
}
