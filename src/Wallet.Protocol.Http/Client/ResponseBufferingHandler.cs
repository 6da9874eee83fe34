namespace Wallet.Protocol.Http.Client;

/// <summary>
/// Reads the whole response body inside the attempt, below the resilience handler: a body that stalls or breaks off is
/// then a timed-out or failed attempt and is retried like a lost connection. PB/1 bodies are small and bounded.
/// </summary>
internal sealed class ResponseBufferingHandler : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken).ConfigureAwait(false);
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
