using PortableBenefits.Linkage.Truth;
using Wallet.Protocol;
using Wallet.Protocol.Payments;

namespace PortableBenefits.Linkage.Tests.Truth;

public sealed class GroundTruthTests
{
    private const string Coin1 = "0a1b2c3d4e5f60718293a4b5c6d7e8f90a1b2c3d4e5f60718293a4b5c6d7e8f9";
    private const string Coin2 = "ffeeddccbbaa99887766554433221100ffeeddccbbaa99887766554433221100";
    private const string Hash = "00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff";

    private static readonly string Valid = string.Join('\n',
        "profile\tworker-00001\tacme\tconstruction\tnorth",
        $"pay\tspending\tworker-00001\tunion-construction\t{Hash}\t{Coin1},{Coin2}",
        $"swap\tworker-00001\tswap-abc\t{Coin2}",
        "",
        "restore-find\tworker-00001\t0a0b,ff00aa",
        $"restore-arespent\tworker-00001\t{Coin1}",
        "restore-arespent\tworker-00002\t") + "\n";

    [Fact]
    public void ParseReadsEveryLineForm()
    {
        var truth = GroundTruth.Parse(new StringReader(Valid));

        var profile = Assert.Single(truth.Profiles);
        Assert.Equal(new WorkerProfile(new AccountId("worker-00001"), "acme", "construction", "north"), profile);
        var payment = Assert.Single(truth.Payments);
        Assert.Equal("spending", payment.Step);
        Assert.Equal(new AccountId("union-construction"), payment.Provider);
        Assert.Equal(PaymentId.Parse(Hash), payment.Payment);
        Assert.Equal([CoinId.Parse(Coin1), CoinId.Parse(Coin2)], payment.Coins);
        var swap = Assert.Single(truth.Swaps);
        Assert.Equal(new IdempotencyKey("swap-abc"), swap.IdempotencyKey);
        Assert.Equal([CoinId.Parse(Coin2)], swap.Inputs);
        var find = Assert.Single(truth.RestoreFinds);
        Assert.Equal(["0a0b", "ff00aa"], find.BlindedMessages.Select(m => Convert.ToHexStringLower(m.AsSpan())));
        Assert.Equal(2, truth.RestoreSpentChecks.Count);
        Assert.Empty(truth.RestoreSpentChecks[1].Coins);
    }

    [Fact]
    public void IdsReadAsTheLibraryWritesThem()
    {
        // The pilot writes CoinId.ToString() and PaymentId.ToString(): lower-case hex, which the parser requires.
        var coin = CoinId.Parse(Coin1);
        var payment = PaymentId.Parse(Hash);
        Assert.Equal(Coin1, coin.ToString());
        Assert.Equal(Hash, payment.ToString());
    }

    [Fact]
    public void WriteToRoundTrips()
    {
        var truth = GroundTruth.Parse(new StringReader(Valid));
        var written = new StringWriter();
        truth.WriteTo(written);

        var again = GroundTruth.Parse(new StringReader(written.ToString()));
        var rewritten = new StringWriter();
        again.WriteTo(rewritten);
        Assert.Equal(written.ToString(), rewritten.ToString());
        Assert.Equal(Valid.Replace("\n\n", "\n", StringComparison.Ordinal), written.ToString());
    }

    [Theory]
    [InlineData("profile\tworker-1\tacme\tconstruction", 1, "4 tab-separated fields")]
    [InlineData("profile\tworker-1\tacme\tconstruction\tnorth\textra", 1, "6 tab-separated fields")]
    [InlineData("payment\tworker-1", 1, "unknown line kind 'payment'")]
    [InlineData("profile worker-1 acme construction north", 1, "unknown line kind")]
    [InlineData("pay\tspending\tworker-1\tunion\t" + Hash + "\t", 1, "no coin id")]
    [InlineData("pay\tspending\tworker-1\tunion\t" + Hash + "\t0A1B2C3D4E5F60718293A4B5C6D7E8F90A1B2C3D4E5F60718293A4B5C6D7E8F9", 1, "coin id")]
    [InlineData("pay\tspending\tworker-1\tunion\tabcd\t" + Coin1, 1, "payment request hash 'abcd' is not 64 lower-case hex digits")]
    [InlineData("pay\tspending\tworker-1\tunion\t" + Hash + "\t" + Coin1 + ",", 1, "coin id '' is not")]
    [InlineData("swap\tworker-1\t\t" + Coin1, 1, "empty idempotency key")]
    [InlineData("restore-find\tworker-1\tabc", 1, "blinded message 'abc'")]
    [InlineData("profile\tworker 1\tacme\tconstruction\tnorth", 1, "")]
    [InlineData("profile\tworker-1\tacme\tconstruction\tnorth\n\nswap\tworker-1\tk", 3, "3 tab-separated fields")]
    public void MalformedLineIsATypedErrorNamingTheLine(string text, int line, string reason)
    {
        var error = Assert.Throws<GroundTruthFormatException>(() => GroundTruth.Parse(new StringReader(text)));

        Assert.Equal(line, error.LineNumber);
        Assert.Contains(reason, error.Reason, StringComparison.Ordinal);
        Assert.StartsWith($"ground truth line {line}: ", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void LoadReadsAFile()
    {
        string path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, Valid);
            Assert.Single(GroundTruth.Load(path).Payments);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void AddRefusesFieldsTheFileCouldNotHold()
    {
        var truth = new GroundTruth();
        Assert.Throws<ArgumentException>(() => truth.Add(new WorkerProfile(new AccountId("w"), "two\twords", "s", "r")));
        Assert.Throws<ArgumentException>(() => truth.Add(new TruePayment("spending", new AccountId("w"), new AccountId("p"), PaymentId.Parse(Hash), [])));
        Assert.Empty(truth.Profiles);
        Assert.Empty(truth.Payments);
    }
}
