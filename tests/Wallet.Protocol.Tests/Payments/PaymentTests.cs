using System.Security.Cryptography;
using System.Text;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Tests.Wire;
using Wallet.Protocol.Wire;
using Wallet.Storage.Testing;

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
    public void PaymentRequestWithAlteredDetailsCommitmentOrAmountFailsVerification()
    {
        using var provider = Ed25519SigningKey.Generate();
        var request = Request(provider, "union dues 2026-06");
        byte[] encoded = request.Encode();

        byte[] commitment = request.DetailsCommitment.ToArray();
        byte[] altered = (byte[])commitment.Clone();
        altered[0] ^= 1;
        var other = PaymentRequest.Decode(CodecAssert.Replace(encoded, commitment, altered));
        Assert.False(other.Verify(provider.PublicKey));
        var amount = PaymentRequest.Decode(CodecAssert.Replace(encoded, CodecAssert.I64(1250), CodecAssert.I64(1251)));
        Assert.False(amount.Verify(provider.PublicKey));
        Assert.NotEqual(request.Hash(), amount.Hash());
        Assert.Equal(SHA256.HashData(encoded), request.Hash());
    }

    [Fact]
    public void TheSignedRequestCarriesNeitherThePurposeNorATimeFinerThanTheDay()
    {
        using var provider = Ed25519SigningKey.Generate();
        var issued = new DateTimeOffset(2026, 6, 1, 14, 37, 21, TimeSpan.Zero);
        var request = PaymentRequest.Sign(new AccountId("union-a"), Amount.FromMinorUnits(1250), "union dues 2026-06", new byte[PaymentRequest.NonceLength], issued, issued.AddHours(1), provider);
        byte[] encoded = request.Encode();

        // What the scheme receives with every spend: no purpose text, no seconds of the issue or expiry time.
        Assert.Equal(-1, encoded.AsSpan().IndexOf("union dues"u8));
        Assert.Equal(new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero), request.IssuedOn);
        Assert.Equal(-1, encoded.AsSpan().IndexOf(CodecAssert.I64(issued.ToUnixTimeSeconds())));
        Assert.Equal(-1, encoded.AsSpan().IndexOf(CodecAssert.I64(issued.AddHours(1).ToUnixTimeSeconds())));
        var schemeCopy = PaymentRequest.Decode(encoded);
        Assert.Null(schemeCopy.Details);
        Assert.Equal(request.Id, schemeCopy.Id);
        Assert.True(schemeCopy.Verify(provider.PublicKey));

        // The worker's copy: the offer opens the commitment, and only the matching details are accepted.
        var offer = PaymentRequest.DecodeOffer(request.EncodeOffer());
        Assert.Equal("union dues 2026-06", offer.Details!.Purpose);
        Assert.Equal(issued.AddHours(1), offer.Details.ExpiresAt);
        Assert.Equal(request.Id, offer.Id);
        var forged = PaymentDetails.Create(request.Details!.Salt, "union dues 2026-07", request.Details.ExpiresAt);
        Assert.Throws<ArgumentException>("details", () => schemeCopy.WithDetails(forged));
        byte[] forgedOffer = CodecAssert.Replace(request.EncodeOffer(), "dues 2026-06"u8, "dues 2026-07"u8);
        Assert.Throws<ProtocolFormatException>(() => PaymentRequest.DecodeOffer(forgedOffer));
        Assert.False(PaymentRequest.TryDecodeOffer(forgedOffer, out _));
        Assert.Throws<InvalidOperationException>(() => schemeCopy.EncodeOffer());
    }

    [Fact]
    public void TheSaltHidesAShortPurpose()
    {
        using var provider = Ed25519SigningKey.Generate();
        var a = Request(provider, "union dues 2026-06");
        var b = Request(provider, "union dues 2026-06");
        Assert.NotEqual(a.DetailsCommitment.ToArray(), b.DetailsCommitment.ToArray());
        var same = PaymentDetails.Create(a.Details!.Salt, a.Details.Purpose, a.Details.ExpiresAt);
        Assert.Equal(a.DetailsCommitment.ToArray(), same.Commitment.ToArray());
        Assert.Throws<ArgumentException>("salt", () => PaymentDetails.Create(new byte[31], "x", s_issued));
    }

    [Fact]
    public void AnIssueDayThatIsNotTheStartOfADayIsAFormatError()
    {
        using var provider = Ed25519SigningKey.Generate();
        var request = Request(provider, "x");
        byte[] encoded = request.Encode();
        byte[] shifted = CodecAssert.Replace(encoded, CodecAssert.I64(request.IssuedOn.ToUnixTimeSeconds()), CodecAssert.I64(request.IssuedOn.ToUnixTimeSeconds() + 1));
        Assert.Throws<ProtocolFormatException>(() => PaymentRequest.Decode(shifted));
        Assert.Equal(new DateTimeOffset(1969, 12, 31, 0, 0, 0, TimeSpan.Zero), PaymentRequest.DayOf(DateTimeOffset.FromUnixTimeSeconds(-1)));
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
        Assert.Throws<ArgumentException>("details", () => PaymentRequest.Sign(provider, ten, "x", nonce, s_issued, s_issued.AddSeconds(-1), key));

        string purpose = new('é', PaymentRequest.MaxPurposeLength / 2);
        Assert.Equal(PaymentRequest.MaxPurposeLength, Encoding.UTF8.GetByteCount(purpose));
        Assert.Equal(purpose, PaymentRequest.Sign(provider, ten, purpose, nonce, s_issued, s_issued, key).Details!.Purpose);
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
        CodecAssert.Canonical(s.Request().EncodeOffer(), b => PaymentRequest.DecodeOffer(b).EncodeOffer(), b => PaymentRequest.TryDecodeOffer(b, out _));
        CodecAssert.Canonical(s.Request().Details!.Encode(), b => PaymentDetails.Decode(b).Encode(), b => PaymentDetails.TryDecode(b, out _));
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
