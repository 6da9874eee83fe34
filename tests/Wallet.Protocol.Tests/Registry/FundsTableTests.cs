using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Registry;

namespace Wallet.Protocol.Tests.Registry;

/// <summary>The funds table (docs/PROTOCOL.md 5.22): signed by the accreditation body, canonical, general by default.</summary>
public sealed class FundsTableTests
{
    private static readonly DateTimeOffset At = new(2026, 1, 1, 0, 0, 0, 500, TimeSpan.Zero);

    [Fact]
    public void LevyGoesToTrainingAndEveryOtherSourceToGeneralAfterEncoding()
    {
        using var body = Ed25519SigningKey.Generate();
        var table = FundsTable.Sign(2, At, [new(ContributionSource.Levy, "training"), new(ContributionSource.Employer, "general")], body);

        var decoded = FundsTable.Decode(table.Encode());

        Assert.True(decoded.Verify(body.PublicKey));
        Assert.Equal(2u, decoded.Version);
        Assert.Equal(At.AddMilliseconds(-500), decoded.IssuedAt);
        Assert.Equal([ContributionSource.Employer, ContributionSource.Levy], decoded.Rules.Select(r => r.Source));
        Assert.Equal("training", decoded.Resolve(ContributionSource.Levy));
        Assert.Equal("general", decoded.Resolve(ContributionSource.Employer));
        Assert.Equal("general", decoded.Resolve(ContributionSource.State));
        Assert.Equal(["general", "training"], decoded.Funds());
    }

    [Fact]
    public void SignatureOfAnotherKeyOrOverAlteredBytesFails()
    {
        using var body = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var table = FundsTable.Sign(1, At, [new(ContributionSource.Levy, "training")], body);
        byte[] altered = table.Encode();
        int at = Array.LastIndexOf(altered, (byte)'t');
        altered[at] = (byte)'T';

        Assert.False(table.Verify(other.PublicKey));
        Assert.False(FundsTable.Decode(altered).Verify(body.PublicKey));
        Assert.Throws<ArgumentNullException>(() => table.Verify(null!));
    }

    [Fact]
    public void TableWithARepeatedOrUnknownSourceOrABadFundCannotBeSigned()
    {
        using var body = Ed25519SigningKey.Generate();

        Assert.Throws<ArgumentException>(() => FundsTable.Sign(1, At, [new(ContributionSource.Levy, "training"), new(ContributionSource.Levy, "general")], body));
        Assert.Throws<ArgumentException>(() => FundsTable.Sign(1, At, [new((ContributionSource)9, "training")], body));
        Assert.Throws<ArgumentException>(() => FundsTable.Sign(1, At, [new(ContributionSource.Levy, "a/b")], body));
        Assert.Throws<ArgumentException>(() => FundsTable.Sign(1, At, [new(ContributionSource.Levy, "")], body));
        Assert.Throws<ArgumentNullException>(() => FundsTable.Sign(1, At, [null!], body));
        Assert.Throws<ArgumentNullException>(() => FundsTable.Sign(1, At, null!, body));
        Assert.Throws<ArgumentNullException>(() => FundsTable.Sign(1, At, [], null!));
    }

    [Fact]
    public void EmptyTableSendsEverythingToGeneral()
    {
        using var body = Ed25519SigningKey.Generate();
        var table = FundsTable.Decode(FundsTable.Sign(1, At, [], body).Encode());

        Assert.All(Enum.GetValues<ContributionSource>(), s => Assert.Equal("general", table.Resolve(s)));
        Assert.Equal(["general"], table.Funds());
    }

    [Theory]
    [InlineData(3, 1)] // rows out of order
    [InlineData(9, 0)] // unknown source
    [InlineData(1, 1)] // repeated source
    public void EncodingWithANonCanonicalOrUnknownRowIsRejected(byte first, byte second)
    {
        using var body = Ed25519SigningKey.Generate();
        // Sign two valid rows, then rewrite their source bytes in place (rows are u8 source, u8 length, ascii fund).
        var table = FundsTable.Sign(1, At, [new(ContributionSource.Employer, "tr"), new(ContributionSource.Levy, "tr")], body);
        byte[] bytes = table.Encode();
        int row1 = IndexOf(bytes, [1, 2, (byte)'t', (byte)'r']);
        int row2 = IndexOf(bytes, [3, 2, (byte)'t', (byte)'r']);
        bytes[row1] = first;
        if (second != 0)
        {
            bytes[row2] = second;
        }

        Assert.False(FundsTable.TryDecode(bytes, out _));
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (int i = 0; i + needle.Length <= haystack.Length; i++)
        {
            if (haystack.AsSpan(i, needle.Length).SequenceEqual(needle))
            {
                return i;
            }
        }

        throw new InvalidOperationException("not found");
    }
}
