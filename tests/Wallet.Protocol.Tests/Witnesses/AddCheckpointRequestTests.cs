using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;
using static Wallet.Protocol.Tests.Witnesses.WitnessFixtures;

namespace Wallet.Protocol.Tests.Witnesses;

/// <summary>The add-checkpoint request and response bodies of C2SP tlog-witness, and their refusal of malformed input.</summary>
public sealed class AddCheckpointRequestTests
{
    // C2SP tlog-witness, "add-checkpoint": the spec's example request body.
    private const string SpecExample =
        "old 20852014\n" +
        "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n" +
        "jrJZDmY8Y7SyJE0MWLpLozkIVMSMZcD5kvuKxPC3swk=\n" +
        "5+pKlUdi2LeF/BcMHBn+Ku6yhPGNCswZZD1X/6QgPd8=\n" +
        "/6WVhPs2CwSsb5rYBH5cjHV/wSmA79abXAwhXw3Kj/0=\n" +
        "\n" +
        "example.com/behind-the-sofa\n" +
        "20852163\n" +
        "CsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n" +
        "\n" +
        "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n" +
        "— example.com/behind-the-sofa opLqBQsREYCgu6xQkYQwJr9fo45a62DN9EdmHXnZdXNqlcVGlCum2Wks+49/V6267UEjw6QUXTS5Rovnzv++qbSzm9Q=\n";

    private const string Note = "example.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n\n" +
        "— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n";

    private const string Hash = "PlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw=\n";

    public static TheoryData<string> MalformedBodies => new()
    {
        string.Empty,
        "old 5",
        "old\n\n" + Note,
        "old \n\n" + Note,
        "old 05\n\n" + Note,
        "old -1\n\n" + Note,
        "old +1\n\n" + Note,
        "old 1 \n\n" + Note,
        "Old 1\n\n" + Note,
        "old  1\n\n" + Note,
        "old 18446744073709551616\n\n" + Note,
        "old 1\r\n\r\n" + Note,
        "old 1\n" + Note,
        "old 1\n" + Hash,
        "old 1\n" + Hash + Note,
        "old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkaw\n\n" + Note,
        "old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpkax=\n\n" + Note,
        "old 1\nPlRNCrwHpqhGrupue0L7gxbjbMiKA9temvuZZDDpk =\n\n" + Note,
        "old 1\nAAAA\n\n" + Note,
        "old 1\n" + string.Concat(Enumerable.Repeat(Hash, 64)) + "\n" + Note,
        "old 1\n\n",
        "old 1\n\nexample.com/behind-the-sofa\n20852163\nCsUYapGGPo4dkMgIAUqom/Xajj7h2fB2MPA3j2jxq2I=\n",
        "old 1\n\nexample.com/behind-the-sofa\n20852163\nnot a root\n\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n",
        "old 1\n\nhello\n\n— example.com/behind-the-sofa Az3grlgtzPICa5OS8npVmf1Myq/5IZniMp+ZJurmRDeOoRDe4URYN7u5/Zhcyv2q1gGzGku9nTo+zyWE+xeMcTOAYQ8=\n",
        "old 20852164\n\n" + Note,
        "old 1\n\n" + Note + "trailing\n",
    };

    [Fact]
    public void SpecExampleParsesAndFormatsBackToTheSameBytes()
    {
        AddCheckpointRequest request = AddCheckpointRequest.Parse(Encoding.UTF8.GetBytes(SpecExample));

        Assert.Equal(20852014UL, request.OldSize);
        Assert.Equal(20852163UL, request.Checkpoint.TreeSize);
        Assert.Equal("example.com/behind-the-sofa", request.Checkpoint.Origin);
        Assert.Equal(4, request.Proof.Path.Length);
        Assert.Equal(2, request.Note.Signatures.Length);
        Assert.Equal(SpecExample, request.Format());
    }

    [Theory]
    [MemberData(nameof(MalformedBodies))]
    public void MalformedBodyIsRefusedWithAWitnessFormatException(string body) =>
        Assert.Throws<WitnessFormatException>(() => AddCheckpointRequest.Parse(Encoding.UTF8.GetBytes(body)));

    [Fact]
    public void InvalidUtf8InTheNoteIsRefusedWithAWitnessFormatException()
    {
        byte[] body = Encoding.UTF8.GetBytes("old 0\n\n" + Note);
        body[10] = 0xFF;

        Assert.Throws<WitnessFormatException>(() => AddCheckpointRequest.Parse(body));
    }

    [Fact]
    public void OversizedBodyIsRefusedWithAWitnessFormatException() =>
        Assert.Throws<WitnessFormatException>(() => AddCheckpointRequest.Parse(new byte[AddCheckpointRequest.MaxEncodedLength + 1]));

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property TruncatedOrCorruptedBodyParsesOrThrowsOnlyAWitnessFormatException() =>
        Prop.ForAll(Gen.Choose(0, 100_000).Two().ToArbitrary(), pair =>
        {
            byte[] body = Encoding.UTF8.GetBytes(SpecExample);
            byte[] mutated = body[..(pair.Item1 % (body.Length + 1))];
            if (mutated.Length > 0)
            {
                mutated[pair.Item2 % mutated.Length] ^= (byte)(1 + (pair.Item2 % 255));
            }

            try
            {
                AddCheckpointRequest.Parse(mutated);
                return true;
            }
            catch (WitnessFormatException)
            {
                return true;
            }
        });

    [Fact]
    public async Task RequestFromARealLogRoundTripsThroughItsBody()
    {
        var log = new TestLog();
        AddCheckpointRequest request = await log.RequestAsync(13, 37);

        AddCheckpointRequest parsed = AddCheckpointRequest.Parse(request.Encode());

        Assert.Equal(request.Proof, parsed.Proof);
        Assert.Equal(request.Note, parsed.Note);
        Assert.Equal(request.Format(), parsed.Format());
    }

    [Fact]
    public async Task CreateRefusesAProofThatDoesNotEndAtTheCheckpointsSize()
    {
        SignedNote note = await new TestLog().CheckpointAsync(5);

        Assert.Throws<ArgumentException>("proof", () => AddCheckpointRequest.Create(new ConsistencyProof(0, 4, []), note));
    }

    [Theory]
    [InlineData("")]
    [InlineData("5")]
    [InlineData("05\n")]
    [InlineData("5\n\n")]
    [InlineData(" 5\n")]
    [InlineData("five\n")]
    public void MalformedTreeSizeBodyIsRefusedWithAWitnessFormatException(string body) =>
        Assert.Throws<WitnessFormatException>(() => AddCheckpointResponse.ParseTreeSize(Encoding.ASCII.GetBytes(body)));

    [Theory]
    [InlineData("")]
    [InlineData("\n")]
    [InlineData("— witness0.example.org/w AAAA\n\n— witness0.example.org/w AAAA\n")]
    [InlineData("— witness0.example.org/w AAAAAAAA")]
    [InlineData("witness0.example.org/w AAAAAAAA\n")]
    [InlineData("— witness0.example.org/w !!!!\n")]
    public async Task MalformedCosignatureBodyIsRefusedWithAWitnessFormatException(string body)
    {
        SignedNote note = await new TestLog().CheckpointAsync(2);

        Assert.Throws<WitnessFormatException>(() => AddCheckpointResponse.AppendCosignatures(note, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public async Task CosignatureBodyOfSeveralLinesIsAppendedInOrder()
    {
        SignedNote note = await new TestLog().CheckpointAsync(2);
        Checkpoint checkpoint = Checkpoint.Parse(note.Text);
        NoteSignature[] cosignatures = [WitnessSigner(0).Sign(checkpoint), WitnessSigner(1).Sign(checkpoint)];

        SignedNote cosigned = AddCheckpointResponse.AppendCosignatures(note, Encoding.UTF8.GetBytes(AddCheckpointResponse.FormatCosignatures(cosignatures)));

        Assert.Equal([.. note.Signatures, .. cosignatures], cosigned.Signatures.AsEnumerable());
    }
}
