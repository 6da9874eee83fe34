using Wallet.Crypto.Signing;

namespace Wallet.Crypto.Tests.Signing;

public sealed class SignatureDomainTests
{
    [Fact]
    public void PrefixIsLengthLabelAndBigEndianVersion()
    {
        var domain = new SignatureDomain("PB1/x", 0x0102);

        Assert.Equal(Convert.FromHexString("05" + "5042312f78" + "0102"), domain.Prefix.ToArray());
        Assert.Equal(Convert.FromHexString("05" + "5042312f78" + "0102" + "aabb"), domain.Frame([0xaa, 0xbb]));
    }

    [Fact]
    public void NullLabelThrows()
    {
        var ex = Assert.Throws<ArgumentNullException>(() => new SignatureDomain(null!, 1));
        Assert.Equal("label", ex.ParamName);
    }

    [Theory]
    [InlineData("")]
    [InlineData("has space")]
    [InlineData("tab\t")]
    [InlineData("caf\u00e9")]
    public void InvalidLabelThrows(string label)
    {
        var ex = Assert.Throws<ArgumentException>(() => new SignatureDomain(label, 1));
        Assert.Equal("label", ex.ParamName);
    }

    [Fact]
    public void LabelOf255CharactersIsAcceptedAnd256IsNot()
    {
        Assert.Equal(255, new SignatureDomain(new string('a', 255), 1).Prefix[0]);
        Assert.Throws<ArgumentException>(() => new SignatureDomain(new string('a', 256), 1));
    }

    [Fact]
    public void EqualityIsByLabelAndVersion()
    {
        Assert.Equal(new SignatureDomain("PB1/x", 1), new SignatureDomain("PB1/x", 1));
        Assert.NotEqual(new SignatureDomain("PB1/x", 1), new SignatureDomain("PB1/x", 2));
        Assert.NotEqual(new SignatureDomain("PB1/x", 1), new SignatureDomain("PB1/X", 1));
        Assert.Equal("PB1/x/v1", new SignatureDomain("PB1/x", 1).ToString());
    }
}
