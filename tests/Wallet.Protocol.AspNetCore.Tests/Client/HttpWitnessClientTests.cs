using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Checkpoints;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.AspNetCore.Tests.Client;

/// <summary>
/// <see cref="HttpWitnessClient"/> against a real loopback server that answers every way C2SP tlog-witness allows and
/// several ways it does not: each answer is a typed outcome, never an exception.
/// </summary>
public sealed class HttpWitnessClientTests
{
    private const string Origin = "benefits.example.org/pb1";
    private static readonly Ed25519SigningKey LogKey = Ed25519SigningKey.FromSeed([.. Enumerable.Range(0x11, 32).Select(i => (byte)i)]);
    private static readonly Ed25519SigningKey WitnessKey = Ed25519SigningKey.FromSeed([.. Enumerable.Range(0x41, 32).Select(i => (byte)i)]);
    private static readonly CosignatureV1Signer Witness = new("witness.example.org/w", WitnessKey, TimeProvider.System);

    [Theory]
    [InlineData("garbage-200", WitnessSubmissionStatus.UnexpectedResponse)]
    [InlineData("empty-200", WitnessSubmissionStatus.UnexpectedResponse)]
    [InlineData("huge-200", WitnessSubmissionStatus.UnexpectedResponse)]
    [InlineData("bad-size-409", WitnessSubmissionStatus.UnexpectedResponse)]
    [InlineData("fork-409", WitnessSubmissionStatus.Fork)]
    [InlineData("404", WitnessSubmissionStatus.UnknownOrigin)]
    [InlineData("403", WitnessSubmissionStatus.NotSignedByLog)]
    [InlineData("422", WitnessSubmissionStatus.InconsistentProof)]
    [InlineData("400", WitnessSubmissionStatus.UnexpectedResponse)]
    [InlineData("500", WitnessSubmissionStatus.Unreachable)]
    [InlineData("503", WitnessSubmissionStatus.Unreachable)]
    [InlineData("429", WitnessSubmissionStatus.Unreachable)]
    public async Task EachAnswerBecomesItsTypedOutcome(string route, WitnessSubmissionStatus expected)
    {
        using var server = await StartAsync();
        using var http = new HttpClient();
        WitnessSubmission submission = await new HttpWitnessClient(http, new Uri(server.Address, route + "/")).AddCheckpointAsync(Request());
        Assert.Equal(expected, submission.Status);
        Assert.Empty(submission.Cosignatures);
        Assert.Equal(expected is WitnessSubmissionStatus.Fork or WitnessSubmissionStatus.InconsistentProof, submission.IsRefusal);
    }

    [Fact]
    public async Task ACosignatureBodyGivesItsLinesAndAConflictBodyGivesTheWitnessSize()
    {
        using var server = await StartAsync();
        using var http = new HttpClient();
        AddCheckpointRequest request = Request();

        WitnessSubmission cosigned = await new HttpWitnessClient(http, new Uri(server.Address, "ok-200")).AddCheckpointAsync(request);
        Assert.True(cosigned.IsCosigned);
        NoteSignature line = Assert.Single(cosigned.Cosignatures);
        Assert.True(new NoteVerifierSet(Witness.Verifier).Verify(SignedNote.Create(request.Note.Text, [line])).IsVerified);

        WitnessSubmission conflict = await new HttpWitnessClient(http, new Uri(server.Address, "size-409/")).AddCheckpointAsync(request);
        Assert.Equal(WitnessSubmissionStatus.OldSizeMismatch, conflict.Status);
        Assert.Equal(7UL, conflict.WitnessTreeSize);
    }

    [Fact]
    public async Task AWitnessThatDoesNotAnswerInTimeOrCannotBeReachedIsUnreachable()
    {
        using var server = await StartAsync();
        using var http = new HttpClient();
        WitnessSubmission silent = await new HttpWitnessClient(http, new Uri(server.Address, "silent/"), TimeSpan.FromMilliseconds(300)).AddCheckpointAsync(Request());
        Assert.Equal(WitnessSubmissionStatus.Unreachable, silent.Status);
        Assert.Contains("no answer", silent.Detail, StringComparison.Ordinal);

        var closed = new Uri($"http://127.0.0.1:{Samples.SampleProcesses.FreePort()}/");
        WitnessSubmission down = await new HttpWitnessClient(http, closed).AddCheckpointAsync(Request());
        Assert.Equal(WitnessSubmissionStatus.Unreachable, down.Status);

        // The caller's own cancellation is not an outcome.
        using var cancelled = new CancellationTokenSource();
        Task<WitnessSubmission> call = new HttpWitnessClient(http, new Uri(server.Address, "silent/"), TimeSpan.FromDays(1)).AddCheckpointAsync(Request(), cancelled.Token);
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => call);
    }

    [Fact]
    public async Task TheClientPostsTheC2spBodyToAddCheckpointUnderThePrefix()
    {
        using var server = await StartAsync();
        using var http = new HttpClient();
        var client = new HttpWitnessClient(http, new Uri(server.Address, "echo"));
        Assert.Equal(new Uri(server.Address, "echo/add-checkpoint"), client.AddCheckpointUri);
        WitnessSubmission echoed = await client.AddCheckpointAsync(Request());
        Assert.True(echoed.IsCosigned);
    }

    [Fact]
    public void ThePrefixMustBeAnAbsoluteHttpUrl()
    {
        using var http = new HttpClient();
        Assert.Throws<ArgumentException>(() => new HttpWitnessClient(http, new Uri("ftp://witness.example.org/")));
        Assert.Throws<ArgumentException>(() => new HttpWitnessClient(http, new Uri("https://witness.example.org/?x=1")));
        Assert.Throws<ArgumentException>(() => new HttpWitnessClient(http, new Uri("/relative", UriKind.Relative)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new HttpWitnessClient(http, new Uri("https://witness.example.org/"), TimeSpan.Zero));
        Assert.Throws<ArgumentNullException>(() => new HttpWitnessClient(null!, new Uri("https://witness.example.org/")));
    }

    private static AddCheckpointRequest Request()
    {
        SignedNote note = Checkpoint.Create(Origin, 1, new MerkleHash(SHA256.HashData([1]))).Sign(new Ed25519NoteSigner(Origin, LogKey));
        return AddCheckpointRequest.Create(new ConsistencyProof(0, 1, []), note);
    }

    private static Task<LoopbackScheme> StartAsync() => LoopbackScheme.StartAsync(null, map: app => app.MapPost("/{answer}/add-checkpoint", async (HttpContext http, string answer) =>
    {
        using var body = new MemoryStream();
        await http.Request.Body.CopyToAsync(body, http.RequestAborted);
        switch (answer)
        {
            case "ok-200":
            case "echo":
                // A real witness's answer: its cosignature on the checkpoint it parsed from the C2SP body.
                var request = AddCheckpointRequest.Parse(body.ToArray());
                Assert.Equal("text/plain", http.Request.ContentType?.Split(';')[0]);
                await Write(http, 200, "text/plain; charset=utf-8", AddCheckpointResponse.FormatCosignatures([Witness.Sign(request.Checkpoint)]));
                break;
            case "garbage-200":
                await Write(http, 200, "text/plain; charset=utf-8", "this is not a signature line\n");
                break;
            case "empty-200":
                await Write(http, 200, "text/plain; charset=utf-8", string.Empty);
                break;
            case "huge-200":
                await Write(http, 200, "text/plain; charset=utf-8", new string('a', SignedNote.MaxEncodedLength + 10));
                break;
            case "size-409":
                await Write(http, 409, AddCheckpointResponse.TreeSizeContentType, "7\n");
                break;
            case "bad-size-409":
                await Write(http, 409, AddCheckpointResponse.TreeSizeContentType, "07 or so\n");
                break;
            case "fork-409":
                await Write(http, 409, "text/plain; charset=utf-8", string.Empty);
                break;
            case "silent":
                await Task.Delay(Timeout.Infinite, http.RequestAborted);
                break;
            default:
                await Write(http, int.Parse(answer, System.Globalization.CultureInfo.InvariantCulture), "text/plain; charset=utf-8", string.Empty);
                break;
        }
    }));

    private static async Task Write(HttpContext http, int status, string contentType, string body)
    {
        http.Response.StatusCode = status;
        http.Response.ContentType = contentType;
        await http.Response.WriteAsync(body, Encoding.UTF8, http.RequestAborted);
    }
}
