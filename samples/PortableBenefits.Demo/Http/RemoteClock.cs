using System.Buffers.Binary;
using System.Net;
using System.Net.Http.Headers;
using Wallet.Protocol.Binding;

namespace PortableBenefits.Demo.Http;

/// <summary>
/// Scheme.Server's sample clock, moved in step with the pilot's calendar (PUT of a u64 big-endian Unix time, behind
/// the operator key like the rest of the operator API). Also owns the HttpClient the pilot's scheme clients share.
/// </summary>
internal sealed class RemoteClock(Uri endpoint, string operatorKey) : IDisposable
{
    private readonly AuthenticationHeaderValue _authorization = new(OperatorRoutes.BearerScheme, operatorKey);

    public HttpClient Http { get; } = new();

    public async Task MoveToAsync(DateTimeOffset when, CancellationToken cancellationToken)
    {
        byte[] body = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(body, (ulong)when.ToUnixTimeSeconds());
        using var request = new HttpRequestMessage(HttpMethod.Put, endpoint) { Content = new ByteArrayContent(body) };
        request.Headers.Authorization = _authorization;
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode != HttpStatusCode.NoContent)
        {
            throw new InvalidOperationException(response.StatusCode == HttpStatusCode.NotFound
                ? "The scheme server has no movable sample clock (started with --system-clock?): the pilot cannot run its months."
                : $"The scheme server refused to move its clock to {when:yyyy-MM-dd} ({(int)response.StatusCode}).");
        }
    }

    public void Dispose() => Http.Dispose();
}
