using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Timeout;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.AspNetCore.Tests.Client;

/// <summary>
/// The retry guarantees of the HTTP client, for both ways of making one: constructed over an HttpClient ("direct", the
/// client runs the pipeline) and resolved from AddHttpSchemeClient ("registered", the named HttpClient's resilience
/// handler runs it).
/// </summary>
public sealed class HttpSchemeClientResilienceTests
{
    private const string Direct = "direct";
    private const string Registered = "registered";

    [Theory]
    [InlineData(Direct)]
    [InlineData(Registered)]
    public async Task RetryResendsTheSameBytesAndIdempotencyKeyAndTheSchemeDebitsOnce(string mode)
    {
        var (world, server) = await TestWorlds.ServedAsync();
        using (world)
        {
            var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
            using var handler = new LosingHandler(loseFirst: 2);
            var (client, owner) = Create(mode, handler, o => o.BaseAddress = server.SchemeAddress);
            using (owner)
            {
                var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General100.Id]);

                var result = await client.WithdrawAsync(request);

                Assert.Equal(WithdrawalStatus.Issued, result.Status);
                Assert.Equal(3, handler.Bodies.Count);
                Assert.All(handler.Bodies, body => Assert.Equal(request.Encode(), body));
                Assert.Equal(["w1", "w1", "w1"], handler.IdempotencyKeys);
                Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(request, result.Response!));
                Assert.Equal(800, await world.Scheme.GetWorkerBalanceAsync(wallet.Account));
            }
        }
    }

    [Theory]
    [InlineData(Direct, true)]
    [InlineData(Direct, false)]
    [InlineData(Registered, true)]
    [InlineData(Registered, false)]
    public async Task CallerCancellationIsNeverRetried(string mode, bool duringBackoff)
    {
        // Either the first attempt fails and the caller cancels while the client waits to retry, or it cancels mid-attempt.
        var handler = new ScriptedHandler(async (_, ct) =>
        {
            if (duringBackoff)
            {
                throw new HttpRequestException("connection refused (simulated)");
            }

            await Task.Delay(Timeout.Infinite, ct);
            throw new UnreachableException();
        });
        var (client, owner) = Create(mode, handler, o => o.RetryDelay = TimeSpan.FromSeconds(30));
        using (owner)
        {
            using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(300));

            await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetTreeHeadAsync(cancel.Token));

            Assert.Equal(1, handler.Attempts);
        }
    }

    [Theory]
    [InlineData(Direct, HttpStatusCode.InternalServerError)]
    [InlineData(Direct, HttpStatusCode.BadGateway)]
    [InlineData(Direct, HttpStatusCode.ServiceUnavailable)]
    [InlineData(Direct, HttpStatusCode.GatewayTimeout)]
    [InlineData(Direct, HttpStatusCode.RequestTimeout)]
    [InlineData(Direct, HttpStatusCode.TooManyRequests)]
    [InlineData(Registered, HttpStatusCode.ServiceUnavailable)]
    [InlineData(Registered, HttpStatusCode.TooManyRequests)]
    public async Task TransientAnswersAreRetriedUpToMaxAttemptsThenRaised(string mode, HttpStatusCode status)
    {
        var handler = new ScriptedHandler((_, _) => Task.FromResult(Problem(status, ProblemTypes.Internal)));
        var (client, owner) = Create(mode, handler);
        using (owner)
        {
            var error = await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetTreeHeadAsync());

            // Exactly MaxAttempts: a registered client does not retry on top of its handler.
            Assert.Equal(3, handler.Attempts);
            Assert.Equal(status, error.StatusCode);
            Assert.Equal(ProblemTypes.Internal, error.ProblemType);
        }
    }

    [Theory]
    [InlineData(Direct, false)]
    [InlineData(Direct, true)]
    [InlineData(Registered, false)]
    [InlineData(Registered, true)]
    public async Task ConnectionFailuresAndAttemptTimeoutsAreRetriedUpToMaxAttempts(string mode, bool timeout)
    {
        var handler = new ScriptedHandler(async (_, ct) =>
        {
            if (!timeout)
            {
                throw new HttpRequestException("connection reset (simulated)");
            }

            await Task.Delay(Timeout.Infinite, ct);
            throw new UnreachableException();
        });
        var (client, owner) = Create(mode, handler, o => o.AttemptTimeout = TimeSpan.FromMilliseconds(50));
        using (owner)
        {
            var error = await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetTreeHeadAsync());

            Assert.Equal(3, handler.Attempts);
            Assert.Null(error.StatusCode);
            Assert.IsType(timeout ? typeof(TimeoutRejectedException) : typeof(HttpRequestException), error.InnerException);
        }
    }

    [Theory]
    [InlineData(Direct, HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage)]
    [InlineData(Direct, HttpStatusCode.Unauthorized, ProblemTypes.Unauthorized)]
    [InlineData(Direct, HttpStatusCode.NotFound, ProblemTypes.NotFound)]
    [InlineData(Direct, HttpStatusCode.RequestEntityTooLarge, ProblemTypes.BodyTooLarge)]
    [InlineData(Direct, HttpStatusCode.UnsupportedMediaType, ProblemTypes.UnsupportedMediaType)]
    [InlineData(Direct, HttpStatusCode.UnprocessableEntity, ProblemTypes.RejectedOperation)]
    [InlineData(Registered, HttpStatusCode.BadRequest, ProblemTypes.MalformedMessage)]
    [InlineData(Registered, HttpStatusCode.UnprocessableEntity, ProblemTypes.RejectedOperation)]
    public async Task ProblemResponsesAreNotRetriedAndKeepTheirTypes(string mode, HttpStatusCode status, string type)
    {
        var handler = new ScriptedHandler((_, _) => Task.FromResult(Problem(status, type)));
        var (client, owner) = Create(mode, handler);
        using (owner)
        {
            var error = await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetTreeHeadAsync());

            Assert.Equal(1, handler.Attempts);
            Assert.Equal(status, error.StatusCode);
            Assert.Equal(type, error.ProblemType);
        }
    }

    [Theory]
    [InlineData(Direct)]
    [InlineData(Registered)]
    public async Task NotFoundAndOutOfRangeProblemsStayTypedResultsWithoutRetry(string mode)
    {
        var handler = new ScriptedHandler((request, _) => Task.FromResult(request.RequestUri!.AbsolutePath.Contains(SchemeRoutes.LogEntries + "/", StringComparison.Ordinal)
            ? Problem(HttpStatusCode.NotFound, ProblemTypes.NotFound)
            : Problem(HttpStatusCode.BadRequest, ProblemTypes.OutOfRange)));
        var (client, owner) = Create(mode, handler);
        using (owner)
        {
            Assert.Null(await client.GetLogEntryAsync(7));
            await Assert.ThrowsAsync<ArgumentOutOfRangeException>(() => client.GetInclusionProofAsync(9, 3));

            Assert.Equal(2, handler.Attempts);
        }
    }

    [Theory]
    [InlineData(Direct)]
    [InlineData(Registered)]
    public async Task RetryAfterIsWaitedUpToMaxRetryAfterAndALongerOneEndsTheRetries(string mode)
    {
        var shortWait = new ScriptedHandler((_, _) => Task.FromResult(Problem(HttpStatusCode.TooManyRequests, ProblemTypes.RateLimited, TimeSpan.FromSeconds(1))));
        var (client, owner) = Create(mode, shortWait, o => (o.MaxAttempts, o.MaxRetryAfter) = (2, TimeSpan.FromSeconds(2)));
        using (owner)
        {
            var clock = Stopwatch.StartNew();
            await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetTreeHeadAsync());
            Assert.Equal(2, shortWait.Attempts);
            Assert.True(clock.Elapsed >= TimeSpan.FromMilliseconds(900), $"waited {clock.Elapsed}");
        }

        var longWait = new ScriptedHandler((_, _) => Task.FromResult(Problem(HttpStatusCode.ServiceUnavailable, ProblemTypes.Internal, TimeSpan.FromMinutes(1))));
        (client, owner) = Create(mode, longWait, o => o.MaxRetryAfter = TimeSpan.FromSeconds(1));
        using (owner)
        {
            var error = await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetTreeHeadAsync());
            Assert.Equal(1, longWait.Attempts);
            Assert.Equal(HttpStatusCode.ServiceUnavailable, error.StatusCode);
        }
    }

    [Fact]
    public async Task BackoffIsExponentialWithJitterFromTheOptions()
    {
        var options = new HttpSchemeClientOptions { BaseAddress = new Uri("http://scheme.test/pb1/"), MaxAttempts = 5, RetryDelay = TimeSpan.FromMilliseconds(1) };
        var retry = SchemeResilience.RetryOptions(options)!;
        Assert.Equal(4, retry.MaxRetryAttempts);
        Assert.Equal(DelayBackoffType.Exponential, retry.BackoffType);
        Assert.Equal(options.RetryDelay, retry.Delay);
        Assert.Equal(options.RetryDelay * 8, retry.MaxDelay);
        Assert.True(retry.UseJitter);
        Assert.Null(SchemeResilience.RetryOptions(new HttpSchemeClientOptions { MaxAttempts = 1 }));

        // Without jitter the delays would not depend on the random draws.
        Assert.NotEqual(await DelaysAsync(options, 0.1), await DelaysAsync(options, 0.9));
    }

    [Fact]
    public void RegisteredOptionsOutsideThePipelineBoundsFailAtStartUp()
    {
        foreach (Action<HttpSchemeClientOptions> broken in new Action<HttpSchemeClientOptions>[]
        {
            o => o.AttemptTimeout = TimeSpan.FromMilliseconds(1),
            o => o.AttemptTimeout = TimeSpan.FromDays(2),
            o => o.RetryDelay = TimeSpan.FromHours(4),
            o => o.MaxAttempts = 21,
        })
        {
            var services = new ServiceCollection();
            services.AddHttpSchemeClient(o =>
            {
                o.BaseAddress = new Uri("http://scheme.test/pb1/");
                broken(o);
            });
            using var provider = services.BuildServiceProvider();
            Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IOptions<HttpSchemeClientOptions>>().Value);
        }
    }

    private static async Task<List<TimeSpan>> DelaysAsync(HttpSchemeClientOptions options, double draw)
    {
        var delays = new List<TimeSpan>();
        var retry = SchemeResilience.RetryOptions(options)!;
        retry.Randomizer = () => draw;
        retry.OnRetry = args =>
        {
            delays.Add(args.RetryDelay);
            return default;
        };
        var pipeline = new ResiliencePipelineBuilder<HttpResponseMessage>().AddRetry(retry).Build();
        using var last = await pipeline.ExecuteAsync(_ => ValueTask.FromResult(new HttpResponseMessage(HttpStatusCode.ServiceUnavailable)));
        Assert.Equal(options.MaxAttempts - 1, delays.Count);
        return delays;
    }

    private static (ISchemeClient Client, IDisposable Owner) Create(string mode, HttpMessageHandler handler, Action<HttpSchemeClientOptions>? configure = null)
    {
        void Configure(HttpSchemeClientOptions o)
        {
            o.BaseAddress = new Uri("http://scheme.test/pb1/");
            o.MaxAttempts = 3;
            o.RetryDelay = TimeSpan.FromMilliseconds(1);
            configure?.Invoke(o);
        }

        if (mode == Direct)
        {
            var options = new HttpSchemeClientOptions();
            Configure(options);
            var http = new HttpClient(handler, disposeHandler: false);
            return (new HttpSchemeClient(http, options), http);
        }

        var services = new ServiceCollection();
        services.AddHttpSchemeClient(Configure);
        services.AddHttpClient(HttpSchemeClientServiceCollectionExtensions.HttpClientName).ConfigurePrimaryHttpMessageHandler(() => handler);
        var provider = services.BuildServiceProvider();
        return (provider.GetRequiredService<ISchemeClient>(), provider);
    }

    private static HttpResponseMessage Problem(HttpStatusCode status, string type, TimeSpan? retryAfter = null)
    {
        string json = $$"""{"type":"{{type}}","title":"Scripted","status":{{(int)status}}}""";
        var response = new HttpResponseMessage(status) { Content = new StringContent(json, Encoding.UTF8, PbMediaTypes.Problem) };
        if (retryAfter is { } wait)
        {
            response.Headers.RetryAfter = new RetryConditionHeaderValue(wait);
        }

        return response;
    }

    /// <summary>Answers every attempt from a script, without a network, and counts the attempts.</summary>
    private sealed class ScriptedHandler(Func<HttpRequestMessage, CancellationToken, Task<HttpResponseMessage>> answer) : HttpMessageHandler
    {
        private int _attempts;

        public int Attempts => _attempts;

        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _attempts);
            return answer(request, cancellationToken);
        }
    }

    /// <summary>Passes requests to the server, records what each attempt sent, and drops the first answers after the server handled them.</summary>
    private sealed class LosingHandler(int loseFirst) : DelegatingHandler(new SocketsHttpHandler())
    {
        public List<byte[]> Bodies { get; } = [];

        public List<string> IdempotencyKeys { get; } = [];

        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            Bodies.Add(request.Content is null ? [] : await request.Content.ReadAsByteArrayAsync(cancellationToken));
            IdempotencyKeys.AddRange(request.Headers.TryGetValues(SchemeRoutes.IdempotencyKeyHeader, out var keys) ? keys : []);
            var response = await base.SendAsync(request, cancellationToken);
            if (Bodies.Count <= loseFirst)
            {
                response.Dispose();
                throw new HttpRequestException("connection reset after the server answered (simulated)");
            }

            return response;
        }
    }
}
