using Wallet.Crypto.Signing;
using Wallet.Protocol.Registry;

namespace Wallet.Protocol.Tests.Registry;

public sealed class DefaultAllocationTableTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void ResolutionIsExactThenSectorThenFallbackAndSurvivesEncoding()
    {
        using var body = Ed25519SigningKey.Generate();
        var table = DefaultAllocationTable.Sign(3, At,
        [
            new("*", "*", new AccountId("general-union")),
            new("care", "*", new AccountId("care-union")),
            new("care", "north", new AccountId("care-north")),
        ], body);

        var decoded = DefaultAllocationTable.Decode(table.Encode());

        Assert.True(decoded.Verify(body.PublicKey));
        Assert.Equal(new AccountId("care-north"), decoded.Resolve("care", "north"));
        Assert.Equal(new AccountId("care-union"), decoded.Resolve("care", "south"));
        Assert.Equal(new AccountId("general-union"), decoded.Resolve("retail", "north"));
    }

    [Fact]
    public void TableWithoutFallbackOrWithRepeatedRowsCannotBeSigned()
    {
        using var body = Ed25519SigningKey.Generate();

        Assert.Throws<ArgumentException>(() => DefaultAllocationTable.Sign(1, At, [new("care", "*", new AccountId("u"))], body));
        Assert.Throws<ArgumentException>(() => DefaultAllocationTable.Sign(1, At, [new("*", "*", new AccountId("u")), new("*", "*", new AccountId("v"))], body));
    }

    [Fact]
    public void TableSignedByAnotherKeyDoesNotVerify()
    {
        using var body = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var table = DefaultAllocationTable.Sign(1, At, [new("*", "*", new AccountId("u"))], other);

        Assert.False(table.Verify(body.PublicKey));
    }
}
