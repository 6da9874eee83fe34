using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Swaps;

public sealed class SwapMessageTests
{
    [Fact]
    public void SwapSpendsVerifyAndAreBoundToTheOutputs()
    {
        using var coinKey = Ed25519SigningKey.Generate();
        var samples = new MessageSamples(7);
        var coin = new Coin(samples.KeysetId(), new CoinId(coinKey.PublicKey.AsSpan()), samples.Bytes(256));
        var outputs = new[] { new WithdrawalItem(samples.KeysetId(), BlindedMessage.FromBytes(samples.Bytes(256))) };
        var swap = SwapRequest.Sign(new IdempotencyKey("k1"), [coin], outputs, [coinKey]);
        Assert.True(swap.VerifySpend(0));

        // The same signature presented with other outputs (a redirected swap) does not verify.
        var redirected = SwapRequest.Sign(new IdempotencyKey("k1"), [coin], [new WithdrawalItem(samples.KeysetId(), BlindedMessage.FromBytes(samples.Bytes(256)))], [coinKey]);
        Assert.False(new SwapSpend(coin, redirected.BodyHash(), swap.Spend(0).SpendSignature).Verify());
        Assert.NotEqual(swap.BodyHash(), redirected.BodyHash());
    }

    [Fact]
    public void SignWithAnotherCoinsKeyThrows()
    {
        using var coinKey = Ed25519SigningKey.Generate();
        using var otherKey = Ed25519SigningKey.Generate();
        var samples = new MessageSamples(8);
        var coin = new Coin(samples.KeysetId(), new CoinId(coinKey.PublicKey.AsSpan()), samples.Bytes(256));
        var outputs = new[] { new WithdrawalItem(samples.KeysetId(), BlindedMessage.FromBytes(samples.Bytes(256))) };
        Assert.Throws<ArgumentException>("coinKeys", () => SwapRequest.Sign(new IdempotencyKey("k"), [coin], outputs, [otherKey]));
        Assert.Throws<ArgumentException>("inputs", () => SwapRequest.Sign(new IdempotencyKey("k"), [coin, coin], outputs, [coinKey, coinKey]));
    }

    [Fact]
    public void ResponseVerifiesOnlyForItsRequestAndSchemeKey()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        byte[] hash = new MessageSamples(3).Bytes(32);
        var response = SwapResponse.Sign(hash, Amount.FromMinorUnits(600), [BlindSignature.FromBytes(new byte[256])], DateTimeOffset.UnixEpoch, scheme);
        Assert.True(response.Verify(hash, scheme.PublicKey));
        Assert.False(response.Verify(hash, other.PublicKey));
        hash[0] ^= 1;
        Assert.False(response.Verify(hash, scheme.PublicKey));
    }

    [Fact]
    public void DoubleSpendProofOfTwoSwapsVerifiesOnlyWhenTheSwapsDiffer()
    {
        var samples = new SwapSamples(11);
        var spend = samples.Spend();
        Assert.False(new SwapDoubleSpendProof(spend, spend).Verify());
        Assert.False(new SwapDoubleSpendProof(samples.Spend(), spend).Verify()); // different coins
    }

    [Fact]
    public void RecoveryRequestSignatureCoversTheDisclosedBlinding()
    {
        using var account = Ed25519SigningKey.Generate();
        var samples = new MessageSamples(5);
        var item = new RecoveryItem(samples.Coin(), samples.Bytes(48), samples.Bytes(256));
        var outputs = new[] { new WithdrawalItem(samples.KeysetId(), BlindedMessage.FromBytes(samples.Bytes(256))) };
        var request = RecoveryRequest.Sign(new AccountId("w"), new IdempotencyKey("r"), [item], outputs, DateTimeOffset.UnixEpoch, account);
        Assert.True(request.Verify(account.PublicKey));
        byte[] bytes = request.Encode();
        bytes[^65] ^= 1; // the last byte of created_at: still canonical, no longer what was signed
        Assert.False(RecoveryRequest.Decode(bytes).Verify(account.PublicKey));
    }
}
