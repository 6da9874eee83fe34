using Wallet.Protocol.Log;

namespace Wallet.Protocol.Tests.Log;

public sealed class LogOriginTests
{
    [Theory]
    [InlineData("benefits.example.org/walletcore")]
    [InlineData("benefits.example.org")]
    [InlineData("127.0.0.1:5080/pb1")]
    [InlineData("[::1]:5080/pb1")]
    [InlineData("xn--bnfices-bxad.example.org/pb1")]
    public void SchemaLessAsciiUrlsAreOrigins(string origin) => Assert.True(LogOrigin.IsValid(origin));

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("https://benefits.example.org/pb1")]
    [InlineData("benefits.example.org/pb1/")]
    [InlineData("/benefits.example.org")]
    [InlineData("benefits example.org")]
    [InlineData("benefits+example.org")]
    [InlineData("benefits.example.org\n")]
    [InlineData("bénéfices.example.org")]
    [InlineData("benefits.example.org/\u2014")]
    public void OriginsAgainstTheConventionAreRefused(string? origin) => Assert.False(LogOrigin.IsValid(origin));

    [Fact]
    public void OriginsLongerThan255CharactersAreRefused()
    {
        Assert.True(LogOrigin.IsValid(new string('a', LogOrigin.MaxLength)));
        Assert.False(LogOrigin.IsValid(new string('a', LogOrigin.MaxLength + 1)));
    }

    [Theory]
    [InlineData("http://127.0.0.1:5080/pb1/", "127.0.0.1:5080/pb1")]
    [InlineData("https://benefits.example.org/pb1", "benefits.example.org/pb1")]
    [InlineData("https://Benefits.Example.org:443/", "benefits.example.org")]
    [InlineData("https://benefits.example.org/a/b//", "benefits.example.org/a/b")]
    public void TheDefaultOriginIsThePrefixWithoutSchemeOrTrailingSlash(string prefix, string origin) =>
        Assert.Equal(origin, LogOrigin.FromPrefix(new Uri(prefix)));

    [Theory]
    [InlineData("ftp://example.org/log")]
    [InlineData("https://example.org/log?x=1")]
    [InlineData("https://example.org/log#top")]
    [InlineData("https://user@example.org/log")]
    [InlineData("file:///tmp/log")]
    public void PrefixesThatAreNotPlainHttpUrlsGiveNoOrigin(string prefix) =>
        Assert.Throws<ArgumentException>(() => LogOrigin.FromPrefix(new Uri(prefix)));

    [Fact]
    public void ARelativePrefixGivesNoOrigin()
    {
        Assert.Throws<ArgumentException>(() => LogOrigin.FromPrefix(new Uri("pb1/", UriKind.Relative)));
        Assert.Throws<ArgumentNullException>(() => LogOrigin.FromPrefix(null!));
    }
}
