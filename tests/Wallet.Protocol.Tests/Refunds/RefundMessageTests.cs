using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Withdrawals;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Refunds;

/// <summary>The refund messages (docs/PROTOCOL.md 5.17): canonical encodings, signatures bound to their domains, and the caller's mistakes as argument errors.</summary>
public sealed class RefundMessageTests
{
    private static readonly DateTimeOffset Noon = new(2026, 3, 4, 12, 30, 15, TimeSpan.Zero);

    [Fact]
    public void RefundKeepsOnlyTheDayAndSortsItsCoins()
    {
        using var provider = Ed25519SigningKey.Generate();
        var coins = Enumerable.Range(1, 3).Select(i => new CoinId(Enumerable.Repeat((byte)(10 - i), 32).ToArray())).ToList();

        var refund = ProviderRefund.Sign(RefundId.NewId(), new AccountId("union-a"), new PaymentId(new byte[32]), coins, Amount.FromMinorUnits(250), Noon, provider);

        Assert.Equal(new DateTimeOffset(2026, 3, 4, 0, 0, 0, TimeSpan.Zero), refund.IssuedOn);
        Assert.Equal(coins.Order(), refund.Coins);
        Assert.True(refund.Verify(provider.PublicKey));
        Assert.Equal(refund.Encode(), ProviderRefund.Decode(refund.Encode()).Encode());
        Assert.DoesNotContain(refund.Id.ToString(), refund.ToString(), StringComparison.Ordinal);
        using var other = Ed25519SigningKey.Generate();
        Assert.False(refund.Verify(other.PublicKey));
    }

    [Fact]
    public void RefundSignatureIsOfItsOwnDomain()
    {
        using var provider = Ed25519SigningKey.Generate();
        var refund = ProviderRefund.Sign(RefundId.NewId(), new AccountId("union-a"), new PaymentId(new byte[32]), [new CoinId(new byte[32])], Amount.FromMinorUnits(1), Noon, provider);

        Assert.Equal("PB1/provider-refund", ProviderRefund.Domain.Label);
        Assert.Equal("PB1/refund-claim-response", RefundClaimResponse.Domain.Label);
        Assert.Equal("PB1/refund-claim", RefundClaimRequest.CoinSignatureDomain.Label);
        Assert.True(refund.Verify(provider.PublicKey));
    }

    [Fact]
    public void RefundThatIsNotCanonicalDoesNotDecode()
    {
        using var provider = Ed25519SigningKey.Generate();
        var refund = ProviderRefund.Sign(RefundId.NewId(), new AccountId("p"), new PaymentId(new byte[32]), [new CoinId(Enumerable.Repeat((byte)1, 32).ToArray()), new CoinId(Enumerable.Repeat((byte)2, 32).ToArray())], Amount.FromMinorUnits(5), Noon, provider);
        byte[] bytes = refund.Encode();

        // version, refund id (32), provider (1 + 1), payment (32), count (2), coins (64), amount (8), issued_on (8).
        int coinsAt = 1 + 32 + 2 + 32 + 2;
        byte[] swapped = (byte[])bytes.Clone();
        bytes.AsSpan(coinsAt + 32, 32).CopyTo(swapped.AsSpan(coinsAt));
        bytes.AsSpan(coinsAt, 32).CopyTo(swapped.AsSpan(coinsAt + 32));
        byte[] notADay = (byte[])bytes.Clone();
        notADay[coinsAt + 64 + 8 + 7] ^= 1;
        byte[] zeroAmount = (byte[])bytes.Clone();
        zeroAmount.AsSpan(coinsAt + 64, 8).Clear();

        Assert.False(ProviderRefund.TryDecode(swapped, out _));
        Assert.False(ProviderRefund.TryDecode(notADay, out _));
        Assert.False(ProviderRefund.TryDecode(zeroAmount, out _));
        Assert.False(ProviderRefund.TryDecode(bytes[..^1], out _));
        Assert.True(ProviderRefund.TryDecode(bytes, out _));
    }

    [Fact]
    public void RefundArgumentsAreCheckedByName()
    {
        using var key = Ed25519SigningKey.Generate();
        var id = RefundId.NewId();
        var provider = new AccountId("p");
        var payment = new PaymentId(new byte[32]);
        var coin = new CoinId(new byte[32]);

        Assert.Throws<ArgumentNullException>("id", () => ProviderRefund.Sign(null!, provider, payment, [coin], Amount.FromMinorUnits(1), Noon, key));
        Assert.Throws<ArgumentNullException>("coins", () => ProviderRefund.Sign(id, provider, payment, null!, Amount.FromMinorUnits(1), Noon, key));
        Assert.Throws<ArgumentException>("coins", () => ProviderRefund.Sign(id, provider, payment, [], Amount.FromMinorUnits(1), Noon, key));
        Assert.Throws<ArgumentException>("coins", () => ProviderRefund.Sign(id, provider, payment, [coin, coin], Amount.FromMinorUnits(1), Noon, key));
        Assert.Throws<ArgumentOutOfRangeException>("amount", () => ProviderRefund.Sign(id, provider, payment, [coin], Amount.Zero, Noon, key));
    }

    [Fact]
    public void ClaimIsSignedByEachCoinKeyOverItsBody()
    {
        var samples = new RefundSamples(3);
        var claim = samples.Claim();

        Assert.Null(claim.FirstBadCoinSignature());
        Assert.All(Enumerable.Range(0, claim.Refund.Coins.Length), i => Assert.True(claim.VerifyCoin(i)));
        Assert.Throws<ArgumentOutOfRangeException>(() => claim.VerifyCoin(claim.Refund.Coins.Length));
        Assert.Throws<ArgumentOutOfRangeException>(() => claim.VerifyCoin(-1));

        // The same signatures over another key (body) do not verify.
        byte[] bytes = claim.Encode();
        bytes[2] = bytes[2] == (byte)'a' ? (byte)'b' : (byte)'a';
        var redirected = RefundClaimRequest.Decode(bytes);
        Assert.Equal(0, redirected.FirstBadCoinSignature());
    }

    [Fact]
    public void ClaimArgumentsAreCheckedByName()
    {
        using var provider = Ed25519SigningKey.Generate();
        using var coinKey = Ed25519SigningKey.Generate();
        using var otherKey = Ed25519SigningKey.Generate();
        var refund = ProviderRefund.Sign(RefundId.NewId(), new AccountId("p"), new PaymentId(new byte[32]), [new CoinId(coinKey.PublicKey.AsSpan())], Amount.FromMinorUnits(1), Noon, provider);
        var output = new WithdrawalItem(new KeysetId(new byte[32]), BlindedMessage.FromBytes(Enumerable.Repeat((byte)5, 256).ToArray()));
        var key = new IdempotencyKey("k");

        Assert.Throws<ArgumentNullException>("refund", () => RefundClaimRequest.Sign(key, null!, [output], [coinKey]));
        Assert.Throws<ArgumentException>("outputs", () => RefundClaimRequest.Sign(key, refund, [], [coinKey]));
        Assert.Throws<ArgumentException>("outputs", () => RefundClaimRequest.Sign(key, refund, [.. Enumerable.Repeat(output, 257)], [coinKey]));
        Assert.Throws<ArgumentException>("coinKeys", () => RefundClaimRequest.Sign(key, refund, [output], []));
        Assert.Throws<ArgumentException>("coinKeys", () => RefundClaimRequest.Sign(key, refund, [output], [otherKey]));
        Assert.Contains("1 coins", RefundClaimRequest.Sign(key, refund, [output], [coinKey]).ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ResponseAnswersOneClaimOnly()
    {
        using var scheme = Ed25519SigningKey.Generate();
        byte[] hash = [.. Enumerable.Repeat((byte)3, 32)];
        var response = RefundClaimResponse.Sign(hash, RefundId.NewId(), Amount.FromMinorUnits(100), [BlindSignature.FromBytes(new byte[256])], Noon, scheme);

        Assert.True(response.Verify(hash, scheme.PublicKey));
        Assert.False(response.Verify(new byte[32], scheme.PublicKey));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Noon.ToUnixTimeSeconds()), response.IssuedAt);
        Assert.Throws<ArgumentException>("requestHash", () => RefundClaimResponse.Sign(new byte[31], RefundId.NewId(), Amount.FromMinorUnits(1), [BlindSignature.FromBytes(new byte[256])], Noon, scheme));
        Assert.Throws<ArgumentException>("blindSignatures", () => RefundClaimResponse.Sign(hash, RefundId.NewId(), Amount.FromMinorUnits(1), [], Noon, scheme));
    }
}
