using System.Net;
using System.Net.Sockets;
using System.Text;
using Wallet.Protocol.Binding;

namespace Wallet.Protocol.AspNetCore.Tests.Endpoints;

/// <summary>
/// Bad input sent as raw bytes, the way a hostile client sends it (an HTTP client library refuses to): a broken chunked
/// framing and an operator Idempotency-Key that is not a printable-ASCII token each get a 400, never a 500, and nothing moves.
/// </summary>
public sealed class BadInputTests
{
    private static readonly string[] SchemePosts =
    [
        SchemeRoutes.Withdrawals + "|" + PbMediaTypes.WithdrawalRequest,
        SchemeRoutes.Deposits + "|" + PbMediaTypes.DepositRequest,
        SchemeRoutes.Swaps + "|" + PbMediaTypes.SwapRequest,
        SchemeRoutes.RestoreSignatures + "|" + PbMediaTypes.BlindedMessages,
        SchemeRoutes.RefundClaims + "|" + PbMediaTypes.RefundClaimRequest,
    ];

    [Theory]
    [InlineData("ffffffffffffffff")]
    [InlineData("10000000000000000")]
    [InlineData("zz")]
    public async Task AnImpossibleChunkSizeOnEverySchemePostIsA400(string chunkSize)
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-chunked", 1000);
            var head = await world.Ledger.GetHeadAsync();
            foreach (var endpoint in SchemePosts)
            {
                var (path, mediaType) = (endpoint.Split('|')[0], endpoint.Split('|')[1]);
                string answer = await SendRawAsync(server, Chunked($"/pb1{path}", mediaType, chunkSize));
                Assert.True(answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), $"{path}: {answer}");
                Assert.Contains(ProblemTypes.MalformedMessage, answer, StringComparison.Ordinal);
            }

            Assert.Equal(head, await world.Ledger.GetHeadAsync());
            Assert.Equal(1000, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
        }
    }

    [Fact]
    public async Task AnImpossibleChunkSizeOnAnOperatorPostIsA400AndCreditsNothing()
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            var head = await op.LedgerHeadAsync();
            string answer = await SendRawAsync(op.Server, Chunked($"{OperatorRoutes.DefaultPrefix}{OperatorRoutes.Contributions}", OperatorMediaTypes.Contribution, "ffffffffffffffff", $"Authorization: Bearer {op.Key}\r\n"));
            Assert.True(answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), answer);
            Assert.Contains(ProblemTypes.MalformedMessage, answer, StringComparison.Ordinal);
            Assert.Equal(head, await op.LedgerHeadAsync());
        }
    }

    [Theory]
    [InlineData("expire-\u00e9")]
    [InlineData("expire-\u0001")]
    [InlineData("expire-\u007f")]
    [InlineData("expire key")]
    public async Task AnOperatorIdempotencyKeyThatIsNotAnAsciiTokenIsA400AndNotEchoed(string key)
    {
        var op = await OperatorServer.StartAsync();
        using (op.World)
        {
            op.World.Time.Advance(TimeSpan.FromDays(91));
            byte[] body = OperatorEnvelopes.EncodeKeysetId(op.World.General100.Id);
            byte[] head = Encoding.UTF8.GetBytes(
                $"POST {OperatorRoutes.DefaultPrefix}{OperatorRoutes.Expiries} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n" +
                $"Authorization: Bearer {op.Key}\r\nContent-Type: {OperatorMediaTypes.KeysetId}\r\nContent-Length: {body.Length}\r\n" +
                $"Idempotency-Key: {key}\r\n\r\n");
            var ledger = await op.LedgerHeadAsync();

            string answer = await SendRawAsync(op.Server, [.. head, .. body]);

            Assert.True(answer.StartsWith("HTTP/1.1 400", StringComparison.Ordinal), answer);
            Assert.Contains(ProblemTypes.IdempotencyKeyMismatch, answer, StringComparison.Ordinal);
            Assert.DoesNotContain("idempotency-key:", answer, StringComparison.OrdinalIgnoreCase);
            Assert.Equal(ledger, await op.LedgerHeadAsync());
            Assert.False((await op.World.Ledger.GetKeysetAsync(op.World.General100.Id)).IsExpired);
        }
    }

    private static byte[] Chunked(string path, string mediaType, string chunkSize, string extraHeaders = "") => Encoding.ASCII.GetBytes(
        $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n{extraHeaders}Content-Type: {mediaType}\r\nTransfer-Encoding: chunked\r\n\r\n" +
        $"{chunkSize}\r\n0123456789abcdef\r\n0\r\n\r\n");

    // Everything the server sends until it closes the connection (or 15 s pass), as Latin-1 text.
    private static async Task<string> SendRawAsync(LoopbackScheme server, byte[] request)
    {
        using var tcp = new TcpClient();
        await tcp.ConnectAsync(IPAddress.Loopback, server.Address.Port);
        var stream = tcp.GetStream();
        await stream.WriteAsync(request);
        using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var received = new MemoryStream();
        var buffer = new byte[4096];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer, patience.Token)) > 0)
            {
                received.Write(buffer, 0, read);
            }
        }
        catch (IOException)
        {
            // Reset after the answer: what arrived is the answer.
        }

        Assert.False(patience.IsCancellationRequested, "The server neither answered nor closed.");
        return Encoding.Latin1.GetString(received.ToArray());
    }
}
