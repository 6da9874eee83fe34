using System.Security.Cryptography;
using System.Text;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Tests.Wire;

namespace Wallet.Protocol.Tests.Payments;

/// <summary>A provider's signed payment request and the spend receipt it gives the worker once paid.</summary>
public sealed class PaymentTests
{
    private static readonly DateTimeOffset s_issued = new(2026, 6, 1, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void PaymentRequestVerifiesUnderTheProviderKeyOnly()
    {
        using var provider = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var request = Request(provider, "union dues 2026-06");

        Assert.True(request.Verify(provider.PublicKey));
        Assert.True(PaymentRequest.Decode(request.Encode()).Verify(provider.PublicKey));
        Assert.False(request.Verify(other.PublicKey));
    }

    [Fact]
    public void PaymentRequestWithAlteredPurposeOrAmountFailsVerification()
    {
        using var provider = Ed25519SigningKey.Generate();
        var request = Request(provider, "union dues 2026-06");
        byte[] encoded = request.Encode();

        var purpose = PaymentRequest.Decode(CodecAssert.Replace(encoded, "dues 2026-06"u8, "dues 2026-07"u8));
        Assert.Equal("union dues 2026-07", purpose.Purpose);
        Assert.False(purpose.Verify(provider.PublicKey));
        var amount = PaymentRequest.Decode(CodecAssert.Replace(encoded, CodecAssert.I64(1250), CodecAssert.I64(1251)));
        Assert.False(amount.Verify(provider.PublicKey));
        Assert.NotEqual(request.Hash(), amount.Hash());
        Assert.Equal(SHA256.HashData(encoded), request.Hash());
    }

    [Fact]
    public void PaymentRequestSignRejectsBadNoncePurposeAmountAndExpiry()
    {
        using var key = Ed25519SigningKey.Generate();
        var provider = new AccountId("union-a");
        var ten = Amount.FromMinorUnits(10);
        byte[] nonce = new byte[PaymentRequest.NonceLength];
        Assert.Throws<ArgumentException>("nonce", () => PaymentRequest.Sign(provider, ten, "x", new byte[31], s_issued, s_issued, key));
        Assert.Throws<ArgumentException>("purpose", () => PaymentRequest.Sign(provider, ten, new string('a', PaymentRequest.MaxPurposeLength + 1), nonce, s_issued, s_issued, key));
        Assert.Throws<ArgumentException>("purpose", () => PaymentRequest.Sign(provider, ten, "cafe\u0301", nonce, s_issued, s_issued, key));
        Assert.Throws<ArgumentOutOfRangeException>("amount", () => PaymentRequest.Sign(provider, Amount.Zero, "x", nonce, s_issued, s_issued, key));
        Assert.Throws<ArgumentException>("expiresAt", () => PaymentRequest.Sign(provider, ten, "x", nonce, s_issued, s_issued.AddSeconds(-1), key));

        string purpose = new('é', PaymentRequest.MaxPurposeLength / 2);
        Assert.Equal(PaymentRequest.MaxPurposeLength, Encoding.UTF8.GetByteCount(purpose));
        Assert.Equal(purpose, PaymentRequest.Sign(provider, ten, purpose, nonce, s_issued, s_issued, key).Purpose);
    }

    [Fact]
    public void SpendReceiptVerifiesOnlyForThePaidRequestAndTheProviderKey()
    {
        using var provider = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var paid = Request(provider, "union dues 2026-06");
        var receipt = SpendReceipt.Sign(paid, s_issued.AddMinutes(5), provider);

        Assert.True(receipt.Verify(paid, provider.PublicKey));
        Assert.True(SpendReceipt.Decode(receipt.Encode()).Verify(paid, provider.PublicKey));
        Assert.False(receipt.Verify(paid, other.PublicKey));
        Assert.False(receipt.Verify(Request(provider, "union dues 2026-06"), provider.PublicKey));
        Assert.Equal(paid.Hash(), receipt.RequestHash.ToArray());
        Assert.Equal(paid.Amount, receipt.Amount);
    }

    [Fact]
    public void PaymentRequestAndSpendReceiptDecodeRejectEveryTruncationAndATrailingByte()
    {
        var s = new MessageSamples(31);
        CodecAssert.Canonical(s.Request().Encode(), b => PaymentRequest.Decode(b).Encode(), b => PaymentRequest.TryDecode(b, out _));
        CodecAssert.Canonical(s.SpendReceipt().Encode(), b => SpendReceipt.Decode(b).Encode(), b => SpendReceipt.TryDecode(b, out _));
    }

    [Fact]
    public void PaymentRequestToStringShowsNoNonceOrSignature()
    {
        using var provider = Ed25519SigningKey.Generate();
        var request = Request(provider, "union dues 2026-06");
        string text = request.ToString();
        Assert.Contains("union-a", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(request.Nonce[..8]), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(request.Signature[..8]), text, StringComparison.OrdinalIgnoreCase);
    }

    private static PaymentRequest Request(Ed25519SigningKey key, string purpose) =>
        PaymentRequest.Sign(new AccountId("union-a"), Amount.FromMinorUnits(1250), purpose, RandomNumberGenerator.GetBytes(PaymentRequest.NonceLength), s_issued, s_issued.AddHours(1), key);
}
