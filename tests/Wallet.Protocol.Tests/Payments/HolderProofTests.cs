using Wallet.Crypto.Signing;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Wire;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Payments;

/// <summary>The holder proof (docs/PROTOCOL.md 5.20): each check a provider makes, in order, and the canonical encoding.</summary>
public sealed class HolderProofTests : IDisposable
{
    private static readonly DateTimeOffset s_now = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);
    private static readonly AccountId s_provider = new("union-a");
    private readonly Ed25519SigningKey _coin1 = Ed25519SigningKey.Generate();
    private readonly Ed25519SigningKey _coin2 = Ed25519SigningKey.Generate();
    private readonly Ed25519SigningKey _other = Ed25519SigningKey.Generate();
    private readonly PaymentId _payment = new MessageSamples(1).Request().Id;

    private CoinId[] Coins => [Id(_coin1), Id(_coin2)];

    public void Dispose()
    {
        _coin1.Dispose();
        _coin2.Dispose();
        _other.Dispose();
    }

    [Fact]
    public void AProofSignedByEveryCoinOfThePaymentIsValid()
    {
        var proof = Sign(_coin2, _coin1);

        Assert.Equal(HolderProofStatus.Valid, proof.Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, Coins, s_now));
        Assert.Equal(Coins.Order(), proof.Coins);
        Assert.Equal(s_now, proof.SignedAt);
        Assert.Equal(HolderProof.NonceLength, proof.Nonce.Length);
    }

    [Fact]
    public void EachCheckRefusesWithItsOwnStatusInOrder()
    {
        var proof = Sign(_coin1, _coin2);

        Assert.Equal(HolderProofStatus.WrongProvider, proof.Check(new AccountId("union-b"), HolderProofPurpose.Refund, new MessageSamples(2).Request().Id, [], s_now.AddHours(1)));
        Assert.Equal(HolderProofStatus.WrongPurpose, proof.Check(s_provider, HolderProofPurpose.Refund, new MessageSamples(2).Request().Id, [], s_now.AddHours(1)));
        Assert.Equal(HolderProofStatus.WrongPayment, proof.Check(s_provider, HolderProofPurpose.SpendReceipt, new MessageSamples(2).Request().Id, [], s_now.AddHours(1)));
        Assert.Equal(HolderProofStatus.Stale, proof.Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, [], s_now.AddHours(1)));
        Assert.Equal(HolderProofStatus.WrongCoins, proof.Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, [], s_now));
    }

    [Fact]
    public void TheClockWindowIsInclusiveBothWays()
    {
        var proof = Sign(_coin1);
        CoinId[] coins = [Id(_coin1)];

        Assert.Equal(HolderProofStatus.Valid, proof.Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, coins, s_now + HolderProof.MaxClockSkew));
        Assert.Equal(HolderProofStatus.Valid, proof.Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, coins, s_now - HolderProof.MaxClockSkew));
        Assert.Equal(HolderProofStatus.Stale, proof.Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, coins, s_now + HolderProof.MaxClockSkew + TimeSpan.FromSeconds(1)));
        Assert.Equal(HolderProofStatus.Stale, proof.Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, coins, s_now - HolderProof.MaxClockSkew - TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void OnlyExactlyThePaymentsCoinsProveHolding()
    {
        // Part of the coins, the coins plus another, or other coins altogether: none is the payment's holder.
        Assert.Equal(HolderProofStatus.WrongCoins, Sign(_coin1).Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, Coins, s_now));
        Assert.Equal(HolderProofStatus.WrongCoins, Sign(_coin1, _coin2, _other).Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, Coins, s_now));
        Assert.Equal(HolderProofStatus.WrongCoins, Sign(_other).Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, [Id(_coin1)], s_now));
    }

    [Fact]
    public void ATamperedSignatureOrBodyIsABadSignature()
    {
        byte[] encoded = Sign(_coin1, _coin2).Encode();
        byte[] badSignature = (byte[])encoded.Clone();
        badSignature[^1] ^= 1;
        Assert.Equal(HolderProofStatus.BadSignature, HolderProof.Decode(badSignature).Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, Coins, s_now));

        // The nonce sits before the coins: a changed nonce keeps every field valid but no signature covers it.
        int nonceAt = encoded.Length - (2 * 64) - (2 * 32) - 2 - HolderProof.NonceLength;
        byte[] badNonce = (byte[])encoded.Clone();
        badNonce[nonceAt] ^= 1;
        Assert.Equal(HolderProofStatus.BadSignature, HolderProof.Decode(badNonce).Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, Coins, s_now));
    }

    [Fact]
    public void MalformedEncodingsAreFormatErrors()
    {
        byte[] encoded = Sign(_coin1, _coin2).Encode();
        Assert.Equal(encoded, HolderProof.Decode(encoded).Encode());

        Assert.False(HolderProof.TryDecode(encoded[..^1], out _));
        Assert.False(HolderProof.TryDecode([.. encoded, 0], out _));
        Assert.False(HolderProof.TryDecode([], out _));

        byte[] purpose = (byte[])encoded.Clone();
        purpose[1] = 9;
        Assert.Throws<ProtocolFormatException>(() => HolderProof.Decode(purpose));

        // The two coin ids swapped: still well-formed fields, but not in canonical order.
        int coinsAt = encoded.Length - (2 * 64) - (2 * 32);
        byte[] swapped = (byte[])encoded.Clone();
        encoded.AsSpan(coinsAt, 32).CopyTo(swapped.AsSpan(coinsAt + 32));
        encoded.AsSpan(coinsAt + 32, 32).CopyTo(swapped.AsSpan(coinsAt));
        Assert.Throws<ProtocolFormatException>(() => HolderProof.Decode(swapped));

        // No coins at all.
        byte[] empty = [.. encoded.AsSpan(0, coinsAt - 2), 0, 0];
        Assert.Throws<ProtocolFormatException>(() => HolderProof.Decode(empty));
    }

    [Fact]
    public void SignRefusesCallerMistakes()
    {
        Assert.Throws<ArgumentNullException>(() => HolderProof.Sign(HolderProofPurpose.SpendReceipt, null!, _payment, s_now, [_coin1]));
        Assert.Throws<ArgumentNullException>(() => HolderProof.Sign(HolderProofPurpose.SpendReceipt, s_provider, null!, s_now, [_coin1]));
        Assert.Throws<ArgumentNullException>(() => HolderProof.Sign(HolderProofPurpose.SpendReceipt, s_provider, _payment, s_now, null!));
        Assert.Throws<ArgumentException>(() => HolderProof.Sign((HolderProofPurpose)0, s_provider, _payment, s_now, [_coin1]));
        Assert.Throws<ArgumentException>(() => HolderProof.Sign(HolderProofPurpose.SpendReceipt, s_provider, _payment, s_now, new byte[15], [_coin1]));
        Assert.Throws<ArgumentException>(() => HolderProof.Sign(HolderProofPurpose.SpendReceipt, s_provider, _payment, s_now, []));
        Assert.Throws<ArgumentException>(() => HolderProof.Sign(HolderProofPurpose.SpendReceipt, s_provider, _payment, s_now, [_coin1, _coin1]));
        Assert.Throws<ArgumentNullException>(() => Sign(_coin1).Check(s_provider, HolderProofPurpose.SpendReceipt, _payment, null!, s_now));
    }

    [Fact]
    public void TwoProofsOfTheSameCoinsDifferInNonceAndBody()
    {
        var first = Sign(_coin1);
        var second = Sign(_coin1);

        Assert.NotEqual(first.Nonce.ToArray(), second.Nonce.ToArray());
        Assert.NotEqual(first.BodyHash(), second.BodyHash());
    }

    [Fact]
    public void ToStringNamesNeitherCoinsNorNonce()
    {
        var proof = Sign(_coin1);
        string text = proof.ToString();

        Assert.DoesNotContain(proof.Coins[0].ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexStringLower(proof.Nonce), text, StringComparison.OrdinalIgnoreCase);
    }

    private static CoinId Id(Ed25519SigningKey key) => new(key.PublicKey.AsSpan());

    private HolderProof Sign(params Ed25519SigningKey[] keys) => HolderProof.Sign(HolderProofPurpose.SpendReceipt, s_provider, _payment, s_now, keys);
}
