using System.Buffers.Text;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Roles;

namespace Wallet.Protocol.AspNetCore.Tests.DependencyInjection;

/// <summary>
/// The registration half of AddHttpSchemeClient and AddHttpSchemeOperatorClient: start-up validation, TryAdd and the
/// named HttpClients. What the resolved clients do over the wire is in Client/.
/// </summary>
public sealed class HttpSchemeClientRegistrationTests
{
    private static readonly Uri Scheme = new("http://scheme.test/pb1/");

    [Fact]
    public void SchemeClientWithoutABaseAddressFailsAtStartUp()
    {
        using var provider = new ServiceCollection().AddHttpSchemeClient().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(typeof(HttpSchemeClientOptions), error.OptionsType);
    }

    [Fact]
    public void SchemeClientWithABaseAddressPassesStartUpValidation()
    {
        using var provider = new ServiceCollection().AddHttpSchemeClient(o => o.BaseAddress = Scheme).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.Equal(Scheme, provider.GetRequiredService<IOptions<HttpSchemeClientOptions>>().Value.BaseAddress);
    }

    [Theory]
    [InlineData(null, null)]
    [InlineData("relative/pb1/", null)]
    [InlineData("http://scheme.test/operator/", "not-a-key")]
    public void OperatorClientWithBadOptionsFailsAtStartUp(string? baseAddress, string? operatorKey)
    {
        using var provider = new ServiceCollection().AddHttpSchemeOperatorClient(o =>
        {
            o.Transport.BaseAddress = baseAddress is null ? null : new Uri(baseAddress, UriKind.RelativeOrAbsolute);
            o.OperatorKey = operatorKey;
        }).BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Equal(typeof(HttpSchemeOperatorClientOptions), error.OptionsType);
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<ISchemeOperator>());
    }

    [Fact]
    public void OperatorClientWithAWellFormedKeyResolves()
    {
        using var provider = new ServiceCollection().AddHttpSchemeOperatorClient(o =>
        {
            o.Transport.BaseAddress = new Uri("http://scheme.test/operator/");
            o.OperatorKey = Base64Url.EncodeToString(new byte[HttpSchemeOperatorClientOptions.OperatorKeyLength]);
        }).BuildServiceProvider();

        provider.GetRequiredService<IStartupValidator>().Validate();

        Assert.IsType<HttpSchemeOperatorClient>(provider.GetRequiredService<ISchemeOperator>());
    }

    [Fact]
    public void SchemeClientRegisteredTwiceIsRegisteredOnceAndStillResolves()
    {
        var services = new ServiceCollection()
            .AddHttpSchemeClient(o => o.BaseAddress = Scheme)
            .AddHttpSchemeClient(o => o.BaseAddress = Scheme);

        Assert.Single(services, d => d.ServiceType == typeof(ISchemeClient));
        using var provider = services.BuildServiceProvider();
        Assert.IsType<HttpSchemeClient>(provider.GetRequiredService<ISchemeClient>());
    }

    [Fact]
    public void OperatorClientRegisteredTwiceIsRegisteredOnceAndStillResolves()
    {
        var services = new ServiceCollection()
            .AddHttpSchemeOperatorClient(o => o.Transport.BaseAddress = Scheme)
            .AddHttpSchemeOperatorClient(o => o.Transport.BaseAddress = Scheme);

        Assert.Single(services, d => d.ServiceType == typeof(ISchemeOperator));
        using var provider = services.BuildServiceProvider();
        Assert.IsType<HttpSchemeOperatorClient>(provider.GetRequiredService<ISchemeOperator>());
    }

    [Fact]
    public void SchemeClientRegisteredEarlierIsKept()
    {
        using var http = new HttpClient();
        var mine = new HttpSchemeClient(http, new HttpSchemeClientOptions { BaseAddress = Scheme });
        var services = new ServiceCollection().AddSingleton<ISchemeClient>(mine).AddHttpSchemeClient(o => o.BaseAddress = Scheme);

        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ISchemeClient>());
    }

    [Fact]
    public void OperatorClientRegisteredEarlierIsKept()
    {
        using var http = new HttpClient();
        var mine = new HttpSchemeOperatorClient(http, new HttpSchemeOperatorClientOptions { Transport = { BaseAddress = Scheme } });
        var services = new ServiceCollection().AddSingleton<ISchemeOperator>(mine).AddHttpSchemeOperatorClient(o => o.Transport.BaseAddress = Scheme);

        using var provider = services.BuildServiceProvider();

        Assert.Same(mine, provider.GetRequiredService<ISchemeOperator>());
    }

    [Theory]
    [InlineData(HttpSchemeClientServiceCollectionExtensions.HttpClientName)]
    [InlineData(HttpSchemeOperatorClientServiceCollectionExtensions.HttpClientName)]
    public void NamedHttpClientLeavesTimeoutsToTheAttemptTimeoutAndTheCaller(string name)
    {
        using var provider = new ServiceCollection()
            .AddHttpSchemeClient(o => o.BaseAddress = Scheme)
            .AddHttpSchemeOperatorClient(o => o.Transport.BaseAddress = Scheme)
            .BuildServiceProvider();

        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(name);

        Assert.Equal(Timeout.InfiniteTimeSpan, client.Timeout);
    }
}
