using System.Net;
using Wallet.Audit.Tool.Cli;

namespace Wallet.Audit.Tool.Sync;

/// <summary>
/// Reads a scheme's public log over HTTP: the checkpoint and tiles (C2SP tlog-tiles, docs/http.md "Tiled log") and,
/// where they are needed, the PB/1 tree head, consistency proof and single entries (docs/http.md). Every failure is a
/// <see cref="ToolException"/> naming the URL: unreachable or an HTTP error status is <see cref="ExitCodes.Network"/>.
/// </summary>
internal sealed class SchemeFetcher(HttpClient http, Uri schemeUrl)
{
    /// <summary>The scheme's base URL, ending in '/'.</summary>
    public Uri BaseUrl { get; } = schemeUrl.AbsoluteUri.EndsWith('/') ? schemeUrl : new Uri(schemeUrl.AbsoluteUri + "/");

    /// <summary>GETs a path under the scheme's URL; <see langword="null"/> for a 404 when <paramref name="missingIsNull"/>.</summary>
    public async Task<byte[]?> GetAsync(string path, bool missingIsNull, CancellationToken cancellationToken)
    {
        var url = new Uri(BaseUrl, path);
        HttpResponseMessage response;
        try
        {
            response = await http.GetAsync(url, HttpCompletionOption.ResponseContentRead, cancellationToken).ConfigureAwait(false);
        }
        catch (HttpRequestException e)
        {
            throw new ToolException(ExitCodes.Network, $"Cannot reach the scheme at {url}: {e.Message}", e);
        }
        catch (TaskCanceledException e) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ToolException(ExitCodes.Network, $"The scheme did not answer GET {url} in time.", e);
        }

        using (response)
        {
            if (response.StatusCode == HttpStatusCode.NotFound && missingIsNull)
            {
                return null;
            }

            if (!response.IsSuccessStatusCode)
            {
                throw new ToolException(ExitCodes.Network, $"The scheme answered GET {url} with HTTP {(int)response.StatusCode} {response.ReasonPhrase}.");
            }

            try
            {
                return await response.Content.ReadAsByteArrayAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (HttpRequestException e)
            {
                throw new ToolException(ExitCodes.Network, $"The answer to GET {url} was cut off: {e.Message}", e);
            }
        }
    }

    /// <summary>The URL a path names, for messages.</summary>
    public Uri Url(string path) => new(BaseUrl, path);
}
