using Wallet.Crypto.Signing;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Registry;

/// <summary>The signed rule for profiles of several jobs and the split it gives (docs/PROTOCOL.md 5.24).</summary>
public sealed class SeveralJobsRuleTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static readonly DefaultAllocationRule[] Rows =
    [
        new("*", "*", new AccountId("general-union")),
        new("care", "*", new AccountId("care-union")),
        new("retail", "north", new AccountId("retail-north")),
    ];

    [Theory]
    [InlineData(SeveralJobsRule.EqualSplit)]
    [InlineData(SeveralJobsRule.ProRata)]
    public void VersionTwoTableSignsItsRuleAndSurvivesEncoding(SeveralJobsRule rule)
    {
        using var body = Ed25519SigningKey.Generate();
        var table = DefaultAllocationTable.Sign(4, At, Rows, rule, body);

        byte[] bytes = table.Encode();
        var decoded = DefaultAllocationTable.Decode(bytes);

        Assert.Equal(2, bytes[0]);
        Assert.Equal(rule, decoded.SeveralJobs);
        Assert.True(decoded.Verify(body.PublicKey));
        Assert.Equal(bytes, decoded.Encode());

        // The rule is under the signature: another rule with the same signature does not verify.
        byte[] swapped = (byte[])bytes.Clone();
        swapped[^65] = (byte)(rule == SeveralJobsRule.EqualSplit ? SeveralJobsRule.ProRata : SeveralJobsRule.EqualSplit);
        Assert.False(DefaultAllocationTable.Decode(swapped).Verify(body.PublicKey));
    }

    [Fact]
    public void VersionOneTableKeepsItsBytesAndGivesEverythingToTheFirstJob()
    {
        using var body = Ed25519SigningKey.Generate();
        var table = DefaultAllocationTable.Sign(1, At, Rows, body);

        byte[] bytes = table.Encode();
        var decoded = DefaultAllocationTable.Decode(bytes);

        Assert.Equal(1, bytes[0]);
        Assert.Equal(bytes, decoded.Encode());
        Assert.True(decoded.Verify(body.PublicKey));
        Assert.Equal(SeveralJobsRule.FirstJob, decoded.SeveralJobs);
        var share = Assert.Single(decoded.Split([new("retail", "north"), new("care", "south")], Amount.FromMinorUnits(101)));
        Assert.Equal(new DefaultAllocationShare(new DefaultAllocationJob("care", "south"), new AccountId("care-union"), Amount.FromMinorUnits(101)), share);
    }

    [Fact]
    public void EqualSplitGivesTheRemainderToTheFirstJobInCanonicalOrder()
    {
        using var body = Ed25519SigningKey.Generate();
        var table = DefaultAllocationTable.Sign(2, At, Rows, SeveralJobsRule.EqualSplit, body);

        var parts = table.Split([new("retail", "north", 5), new("care", "south"), new("transport", "east")], Amount.FromMinorUnits(100));

        Assert.Equal(
            [
                new DefaultAllocationShare(new DefaultAllocationJob("care", "south"), new AccountId("care-union"), Amount.FromMinorUnits(34)),
                new DefaultAllocationShare(new DefaultAllocationJob("retail", "north", 5), new AccountId("retail-north"), Amount.FromMinorUnits(33)),
                new DefaultAllocationShare(new DefaultAllocationJob("transport", "east"), new AccountId("general-union"), Amount.FromMinorUnits(33)),
            ],
            parts);
    }

    [Fact]
    public void ProRataSplitsByWeightAndLeavesOutZeroParts()
    {
        using var body = Ed25519SigningKey.Generate();
        var table = DefaultAllocationTable.Sign(2, At, Rows, SeveralJobsRule.ProRata, body);

        var parts = table.Split([new("retail", "north", 3), new("care", "south", 1)], Amount.FromMinorUnits(10));
        var tiny = table.Split([new("retail", "north", 1), new("care", "south", 1000)], Amount.FromMinorUnits(1));

        Assert.Equal([Amount.FromMinorUnits(3), Amount.FromMinorUnits(7)], parts.Select(p => p.Amount));
        Assert.Equal(["care-union", "retail-north"], parts.Select(p => p.Provider.Value));
        var only = Assert.Single(tiny);
        Assert.Equal("care", only.Job.Sector);
        Assert.Equal(1, only.Amount.MinorUnits);
    }

    [Fact]
    public void SplitOfTheLargestBalanceIsExact()
    {
        using var body = Ed25519SigningKey.Generate();
        var table = DefaultAllocationTable.Sign(2, At, Rows, SeveralJobsRule.ProRata, body);

        var parts = table.Split([new("a", "b", DefaultAllocationJob.MaxWeight), new("c", "d", DefaultAllocationJob.MaxWeight - 1), new("e", "f", 7)], Amount.FromMinorUnits(long.MaxValue));

        Assert.Equal(long.MaxValue, parts.Sum(p => p.Amount.MinorUnits));
        Assert.True(parts[0].Amount.MinorUnits > parts[1].Amount.MinorUnits);
    }

    [Fact]
    public void BadProfilesAndRulesAreRefused()
    {
        using var body = Ed25519SigningKey.Generate();
        var table = DefaultAllocationTable.Sign(2, At, Rows, SeveralJobsRule.EqualSplit, body);

        Assert.Throws<ArgumentException>(() => table.Split([], Amount.FromMinorUnits(1)));
        Assert.Throws<ArgumentException>(() => table.Split([new("a", "b"), new("a", "b", 2)], Amount.FromMinorUnits(1)));
        Assert.Throws<ArgumentException>(() => table.Split(Enumerable.Range(0, DefaultAllocationInput.MaxJobs + 1).Select(i => new DefaultAllocationJob($"s{i}", "r")), Amount.FromMinorUnits(1)));
        Assert.Throws<ArgumentNullException>(() => table.Split([null!], Amount.FromMinorUnits(1)));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DefaultAllocationJob("a", "b", 0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DefaultAllocationJob("a", "b", DefaultAllocationJob.MaxWeight + 1));
        Assert.Throws<ArgumentException>(() => new DefaultAllocationJob("a b", "c"));
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultAllocationTable.Sign(2, At, Rows, SeveralJobsRule.FirstJob, body));
        Assert.Throws<ArgumentOutOfRangeException>(() => DefaultAllocationTable.Sign(2, At, Rows, (SeveralJobsRule)9, body));
    }

    [Theory]
    [InlineData(0)]
    [InlineData(3)]
    [InlineData(255)]
    public void VersionTwoTableWithAnUnknownRuleDoesNotDecode(byte rule)
    {
        using var body = Ed25519SigningKey.Generate();
        byte[] bytes = DefaultAllocationTable.Sign(2, At, Rows, SeveralJobsRule.EqualSplit, body).Encode();
        bytes[^65] = rule;

        Assert.Throws<ProtocolFormatException>(() => DefaultAllocationTable.Decode(bytes));
        Assert.False(DefaultAllocationTable.TryDecode(bytes, out _));
    }

    [Fact]
    public void TableOfAnUnknownVersionDoesNotDecode()
    {
        using var body = Ed25519SigningKey.Generate();
        byte[] bytes = DefaultAllocationTable.Sign(2, At, Rows, SeveralJobsRule.EqualSplit, body).Encode();

        bytes[0] = 3;
        Assert.False(DefaultAllocationTable.TryDecode(bytes, out _));
        bytes[0] = 0;
        Assert.False(DefaultAllocationTable.TryDecode(bytes, out _));

        // A version 1 table with a rule byte has a trailing byte; a version 2 table without one is short.
        bytes[0] = 1;
        Assert.False(DefaultAllocationTable.TryDecode(bytes, out _));
        byte[] v1 = DefaultAllocationTable.Sign(2, At, Rows, body).Encode();
        v1[0] = 2;
        Assert.False(DefaultAllocationTable.TryDecode(v1, out _));
    }

    [Fact]
    public void ProfileOfSeveralJobsIsKeptInCanonicalOrder()
    {
        var profile = new DefaultAllocationInput(new AccountId("w"), [new DefaultAllocationJob("retail", "north"), new DefaultAllocationJob("care", "south", 2)]);
        var single = new DefaultAllocationInput(new AccountId("v"), "care", "north");

        Assert.Equal(["care", "retail"], profile.Jobs.Select(j => j.Sector));
        Assert.Equal(("care", "south"), (profile.Sector, profile.Region));
        Assert.Equal(new DefaultAllocationJob("care", "north"), Assert.Single(single.Jobs));
        Assert.Throws<ArgumentNullException>(() => new DefaultAllocationInput(null!, [new DefaultAllocationJob("a", "b")]));
        Assert.Throws<ArgumentException>(() => new DefaultAllocationInput(new AccountId("w"), []));
    }
}
