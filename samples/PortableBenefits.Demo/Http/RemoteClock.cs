using System.Buffers.Binary;
using System.Diagnostics;
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

    // The last time this client put the clock at (whole seconds, as sent), and when: the server's clock has run on from it.
    private DateTimeOffset? _lastPut;
    private long _lastPutAt;

    public HttpClient Http { get; } = new();

    public async Task MoveToAsync(DateTimeOffset when, CancellationToken cancellationToken)
    {
        byte[] body = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(body, (ulong)when.ToUnixTimeSeconds());
        using var request = new HttpRequestMessage(HttpMethod.Put, endpoint) { Content = new ByteArrayContent(body) };
        request.Headers.Authorization = _authorization;
        using var response = await Http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.NoContent)
        {
            (_lastPut, _lastPutAt) = (DateTimeOffset.FromUnixTimeSeconds(when.ToUnixTimeSeconds()), Stopwatch.GetTimestamp());
            return;
        }

        // The server refuses (409) a time its clock has passed. Its clock runs on in real time from the last time put, so
        // a target a few seconds after that one (two moments of the calendar in one second, or closer than the real time
        // between the calls) is already reached: that is what the pilot asked for. Any other refusal is an error.
        if (response.StatusCode == HttpStatusCode.Conflict && _lastPut is { } last
            && when <= last + Stopwatch.GetElapsedTime(_lastPutAt) + TimeSpan.FromSeconds(1))
        {
            return;
        }

        throw new InvalidOperationException(response.StatusCode == HttpStatusCode.NotFound
            ? "The scheme server has no movable sample clock (started with --system-clock?): the pilot cannot run its months."
            : $"The scheme server refused to move its clock to {when:yyyy-MM-dd} ({(int)response.StatusCode}).");
    }

    public void Dispose() => Http.Dispose();
}
