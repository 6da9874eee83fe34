using Wallet.Protocol.Binding;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Binding;

/// <summary>The allocation round's version 2 layout with a list of jobs per account (docs/PROTOCOL.md 5.24).</summary>
public sealed class AllocationRoundEnvelopeTests
{
    private static readonly DefaultAllocationInput[] Workers =
    [
        new(new AccountId("worker-1"), [new DefaultAllocationJob("retail", "north", 3), new DefaultAllocationJob("care", "south")]),
        new(new AccountId("worker-2"), "care", "north"),
    ];

    [Fact]
    public void RoundWithSeveralJobsRoundTripsInVersionTwoAndRefusesDamage()
    {
        byte[] bytes = OperatorEnvelopes.EncodeAllocationRound("epoch-2", Workers);
        var (round, workers) = OperatorEnvelopes.DecodeAllocationRound(bytes);

        Assert.Equal(OperatorEnvelopes.AllocationRoundJobsVersion, bytes[0]);
        Assert.Equal("epoch-2", round);
        Assert.Equal(Workers.Select(w => w.Jobs.ToArray()), workers.Select(w => w.Jobs.ToArray()));
        Assert.Equal(bytes, OperatorEnvelopes.EncodeAllocationRound(round, workers));
        for (int length = 0; length < bytes.Length; length++)
        {
            Assert.Throws<ProtocolFormatException>(() => OperatorEnvelopes.DecodeAllocationRound(bytes[..length]));
        }

        Assert.Throws<ProtocolFormatException>(() => OperatorEnvelopes.DecodeAllocationRound([.. bytes, 0]));
        byte[] version3 = [.. bytes];
        version3[0] = 3;
        Assert.Throws<ProtocolFormatException>(() => OperatorEnvelopes.DecodeAllocationRound(version3));
    }

    [Fact]
    public void RoundOfSingleJobsKeepsTheVersionOneBytes()
    {
        DefaultAllocationInput[] single = [new(new AccountId("worker-2"), "care", "north"), new(new AccountId("w3"), [new DefaultAllocationJob("retail", "*")])];

        byte[] bytes = OperatorEnvelopes.EncodeAllocationRound("epoch-1", single);

        Assert.Equal(1, bytes[0]);
        Assert.Equal([.. "epoch-1"u8], bytes[2..9]);
        Assert.Equal(bytes, OperatorEnvelopes.EncodeAllocationRound("epoch-1", OperatorEnvelopes.DecodeAllocationRound(bytes).Workers));

        // One job whose weight is not 1 needs version 2 to carry the weight.
        Assert.Equal(2, OperatorEnvelopes.EncodeAllocationRound("epoch-1", [new(new AccountId("w"), [new DefaultAllocationJob("a", "b", 2)])])[0]);
    }

    [Theory]
    [InlineData(0, 1u, "n", "a")]
    [InlineData(2, 0u, "n", "a")]
    [InlineData(2, DefaultAllocationJob.MaxWeight + 1, "n", "a")]
    [InlineData(2, 1u, "a", "b")]
    [InlineData(2, 1u, "m", "a")]
    [InlineData(17, 1u, "n", "a")]
    public void BadProfilesAreFormatErrors(int jobs, uint weight, string secondSector, string secondRegion)
    {
        var w = new ProtocolWriter();
        w.U8(OperatorEnvelopes.AllocationRoundJobsVersion);
        w.Ascii("epoch-3");
        w.U32(1);
        w.Ascii("worker-1");
        w.U8((byte)jobs);
        for (int j = 0; j < jobs; j++)
        {
            // Job 0 is ("m", "a"); job 1 is the case's (out of order, a repeat, or a bad weight); further jobs ascend after "z".
            (string sector, string region) = j switch { 0 => ("m", "a"), 1 => (secondSector, secondRegion), _ => ($"z{j:D2}", "r") };
            w.Ascii(sector);
            w.Ascii(region);
            w.U32(j == 1 ? weight : 1);
        }

        Assert.Throws<ProtocolFormatException>(() => OperatorEnvelopes.DecodeAllocationRound(w.ToArray()));
    }
}
