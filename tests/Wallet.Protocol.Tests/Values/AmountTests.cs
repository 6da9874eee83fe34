using FsCheck;
using FsCheck.Fluent;

namespace Wallet.Protocol.Tests.Values;

public sealed class AmountTests
{
    [Fact]
    public void NegativeMinorUnitsAreRefused() =>
        Assert.Throws<ArgumentOutOfRangeException>("minorUnits", () => Amount.FromMinorUnits(-1));

    [Fact]
    public void SumThatOverflowsThrowsInsteadOfWrapping() =>
        Assert.Throws<OverflowException>(() => Amount.FromMinorUnits(long.MaxValue) + Amount.FromMinorUnits(1));

    [Fact]
    public void SubtractionBelowZeroIsRefused()
    {
        Assert.False(Amount.TrySubtract(Amount.FromMinorUnits(5), Amount.FromMinorUnits(6), out var difference));
        Assert.Equal(Amount.Zero, difference);
        Assert.True(Amount.TrySubtract(Amount.FromMinorUnits(6), Amount.FromMinorUnits(5), out difference));
        Assert.Equal(Amount.FromMinorUnits(1), difference);
    }

    [FsCheck.Xunit.Property]
    public Property AdditionMatchesIntegerAdditionWithinRange() =>
        Prop.ForAll(Gen.Choose(0, int.MaxValue).Two().ToArbitrary(), pair =>
            (Amount.FromMinorUnits(pair.Item1) + Amount.FromMinorUnits(pair.Item2)).MinorUnits == (long)pair.Item1 + pair.Item2);
}
