using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Wire;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Coins;

/// <summary>A coin, its spend against one payment request, and the proof two such spends make.</summary>
public sealed class CoinTests
{
    [Fact]
    public async Task IssuedCoinVerifiesUnderItsOwnKeysetOnlyAndNotWithAnAlteredSignature()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var wallet = await world.FundedWalletAsync("worker-coin", world.General100);
        var (_, spends) = await world.PayAsync(wallet, world.UnionA, 100);
        var coin = spends[0].Coin;

        Assert.True(coin.VerifyIssuer(world.General100));
        Assert.False(coin.VerifyIssuer(world.General500));
        byte[] altered = coin.IssuerSignature.ToArray();
        altered[^1] ^= 1;
        Assert.False(new Coin(coin.Keyset, coin.Id, altered).VerifyIssuer(world.General100));
        Assert.False(new Coin(coin.Keyset, new CoinId(new MessageSamples(1).Bytes(32)), coin.IssuerSignature).VerifyIssuer(world.General100));
    }

    [Fact]
    public void CoinRejectsAnEmptyOrOversizedIssuerSignature()
    {
        var s = new MessageSamples(2);
        Assert.Throws<ArgumentException>("issuerSignature", () => new Coin(s.KeysetId(), s.CoinId(), []));
        Assert.Throws<ArgumentException>("issuerSignature", () => new Coin(s.KeysetId(), s.CoinId(), new byte[Coin.MaxSignatureLength + 1]));
        Assert.Throws<ArgumentNullException>("keyset", () => new Coin(null!, s.CoinId(), [1]));
        Assert.Equal(Coin.MaxSignatureLength, new Coin(s.KeysetId(), s.CoinId(), new byte[Coin.MaxSignatureLength]).IssuerSignature.Length);
    }

    [Fact]
    public void BlindSignedMessageIsTheLabelKeysetAndCoinId()
    {
        var s = new MessageSamples(3);
        var keyset = s.KeysetId();
        var id = s.CoinId();
        byte[] expected = [.. "PB1/coin"u8, .. keyset.Bytes, .. id.Bytes];
        Assert.Equal(expected, Coin.BuildMessage(keyset, id));
    }

    [Fact]
    public void SpendSignedByTheCoinKeyVerifiesAndFailsWhenMovedToAnotherRequestOrKeyset()
    {
        using var coinKey = Ed25519SigningKey.Generate();
        var s = new MessageSamples(4);
        var coin = new Coin(s.KeysetId(), new CoinId(coinKey.PublicKey.AsSpan()), s.Bytes(256));
        var request = s.Request();
        var spend = CoinSpend.Sign(coin, request, coinKey);
        Assert.True(spend.VerifySpendSignature());

        Assert.False(new CoinSpend(coin, s.Request(), spend.SpendSignature).VerifySpendSignature());
        Assert.False(new CoinSpend(new Coin(s.KeysetId(), coin.Id, coin.IssuerSignature), request, spend.SpendSignature).VerifySpendSignature());
        byte[] altered = spend.SpendSignature.ToArray();
        altered[0] ^= 1;
        Assert.False(new CoinSpend(coin, request, altered).VerifySpendSignature());
    }

    [Fact]
    public void SpendRejectsAKeyThatIsNotTheCoinsAndASignatureThatIsNot64Bytes()
    {
        using var coinKey = Ed25519SigningKey.Generate();
        using var otherKey = Ed25519SigningKey.Generate();
        var s = new MessageSamples(5);
        var coin = new Coin(s.KeysetId(), new CoinId(coinKey.PublicKey.AsSpan()), s.Bytes(256));
        Assert.Throws<ArgumentException>("coinKey", () => CoinSpend.Sign(coin, s.Request(), otherKey));
        Assert.Throws<ArgumentException>("spendSignature", () => new CoinSpend(coin, s.Request(), new byte[63]));
    }

    [Fact]
    public void DoubleSpendProofHoldsOnlyForOneCoinSignedOverTwoRequests()
    {
        using var coinKey = Ed25519SigningKey.Generate();
        var s = new MessageSamples(6);
        var coin = new Coin(s.KeysetId(), new CoinId(coinKey.PublicKey.AsSpan()), s.Bytes(256));
        var first = CoinSpend.Sign(coin, s.Request(), coinKey);
        var second = CoinSpend.Sign(coin, s.Request(), coinKey);

        var proof = new DoubleSpendProof(first, second);
        Assert.True(proof.Verify());
        Assert.Equal(coin.Id, proof.Coin);
        Assert.False(new DoubleSpendProof(first, first).Verify());
        Assert.False(new DoubleSpendProof(first, s.Spend()).Verify());
        byte[] forged = second.SpendSignature.ToArray();
        forged[5] ^= 1;
        Assert.False(new DoubleSpendProof(first, new CoinSpend(coin, second.Request, forged)).Verify());
        Assert.True(DoubleSpendProof.Decode(proof.Encode()).Verify());
    }

    [Fact]
    public void CoinSpendAndProofDecodeRejectEveryTruncationAndATrailingByte()
    {
        var s = new MessageSamples(7);
        CodecAssert.Canonical(s.Coin().Encode(), b => Coin.Decode(b).Encode(), b => Coin.TryDecode(b, out _));
        CodecAssert.Canonical(s.Spend().Encode(), b => CoinSpend.Decode(b).Encode(), b => CoinSpend.TryDecode(b, out _));
        CodecAssert.Canonical(s.Proof().Encode(), b => DoubleSpendProof.Decode(b).Encode(), b => DoubleSpendProof.TryDecode(b, out _));
    }

    [Fact]
    public void CoinAndSpendToStringNameTheCoinButNoSignature()
    {
        var spend = new MessageSamples(8).Spend();
        string coin = spend.Coin.ToString();
        string text = spend.ToString();
        Assert.Contains(spend.Coin.Id.ToString(), text, StringComparison.Ordinal);
        Assert.Contains(spend.Request.Provider.ToString(), text, StringComparison.Ordinal);
        foreach (string shown in new[] { coin, text })
        {
            Assert.DoesNotContain(Convert.ToHexString(spend.SpendSignature), shown, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToHexString(spend.Coin.IssuerSignature[..16]), shown, StringComparison.OrdinalIgnoreCase);
        }
    }
}
