using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Tests.Wire;
using Wallet.Protocol.Withdrawals;
using Wallet.Protocol.Wire;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Withdrawals;

/// <summary>A worker's signed withdrawal, the scheme's receipt and the response that carries the blind signatures.</summary>
public sealed class WithdrawalTests
{
    private static readonly DateTimeOffset s_created = new(2026, 7, 1, 9, 30, 0, TimeSpan.Zero);

    [Fact]
    public void WithdrawalRequestVerifiesUnderTheAccountKeyOnlyAndNotOnceAltered()
    {
        using var account = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var request = Request(account, new MessageSamples(41), 2);

        Assert.True(request.Verify(account.PublicKey));
        Assert.False(request.Verify(other.PublicKey));
        byte[] altered = CodecAssert.Replace(request.Encode(), CodecAssert.I64(s_created.ToUnixTimeSeconds()), CodecAssert.I64(s_created.ToUnixTimeSeconds() + 1));
        var decoded = WithdrawalRequest.Decode(altered);
        Assert.Equal(s_created.AddSeconds(1), decoded.CreatedAt);
        Assert.False(decoded.Verify(account.PublicKey));
    }

    [Fact]
    public void WithdrawalRequestRejectsNoItemsOrTooMany()
    {
        using var account = Ed25519SigningKey.Generate();
        var s = new MessageSamples(42);
        var item = new WithdrawalItem(s.KeysetId(), BlindedMessage.FromBytes(s.Bytes(256)));
        Assert.Throws<ArgumentException>("items", () => WithdrawalRequest.Sign(new AccountId("w"), new IdempotencyKey("k"), [], s_created, account));
        Assert.Throws<ArgumentException>("items", () => WithdrawalRequest.Sign(new AccountId("w"), new IdempotencyKey("k"), Enumerable.Repeat(item, WithdrawalRequest.MaxItems + 1).ToList(), s_created, account));
        Assert.Equal(WithdrawalItem.MaxBlindedLength, new WithdrawalItem(s.KeysetId(), BlindedMessage.FromBytes(new byte[WithdrawalItem.MaxBlindedLength])).BlindedMessage.Length);
        Assert.Throws<ArgumentNullException>("keyset", () => new WithdrawalItem(null!, item.BlindedMessage));
    }

    [Fact]
    public void WithdrawalReceiptVerifiesOnlyForItsRequestAndTheSchemeKey()
    {
        using var account = Ed25519SigningKey.Generate();
        using var scheme = Ed25519SigningKey.Generate();
        var s = new MessageSamples(43);
        var request = Request(account, s, 3);
        var receipt = WithdrawalReceipt.Sign(request, Amount.FromMinorUnits(300), s_created, scheme);

        Assert.True(receipt.Verify(request, scheme.PublicKey));
        Assert.True(WithdrawalReceipt.Decode(receipt.Encode()).Verify(request, scheme.PublicKey));
        Assert.False(receipt.Verify(request, account.PublicKey));
        Assert.False(receipt.Verify(Request(account, s, 3), scheme.PublicKey));
        Assert.Equal((3, 300L), (receipt.CoinCount, receipt.Total.MinorUnits));
        var altered = WithdrawalReceipt.Decode(CodecAssert.Replace(receipt.Encode(), CodecAssert.I64(300), CodecAssert.I64(30)));
        Assert.False(altered.Verify(request, scheme.PublicKey));
    }

    [Fact]
    public void WithdrawalResponseCarriesOneBlindSignaturePerCoin()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var account = Ed25519SigningKey.Generate();
        var s = new MessageSamples(44);
        var receipt = WithdrawalReceipt.Sign(Request(account, s, 2), Amount.FromMinorUnits(200), s_created, scheme);
        var signature = BlindSignature.FromBytes(s.Bytes(256));

        Assert.Throws<ArgumentException>("blindSignatures", () => new WithdrawalResponse(receipt, [signature]));

        // On the wire the same mismatch is a format error, never the constructor's ArgumentException.
        byte[] mismatched = [WithdrawalResponse.Version, .. receipt.Encode(), 0, 0];
        Assert.Throws<ProtocolFormatException>(() => WithdrawalResponse.Decode(mismatched));
        var response = WithdrawalResponse.Decode(new WithdrawalResponse(receipt, [signature, signature]).Encode());
        Assert.Equal(2, response.BlindSignatures.Length);
        Assert.Equal(receipt.Encode(), response.Receipt.Encode());
    }

    [Fact]
    public void WithdrawalMessagesDecodeRejectEveryTruncationAndATrailingByte()
    {
        var s = new MessageSamples(45);
        var response = s.WithdrawalResponse();
        CodecAssert.Canonical(s.Withdrawal().Encode(), b => WithdrawalRequest.Decode(b).Encode(), b => WithdrawalRequest.TryDecode(b, out _));
        CodecAssert.Canonical(response.Receipt.Encode(), b => WithdrawalReceipt.Decode(b).Encode(), b => WithdrawalReceipt.TryDecode(b, out _));
        CodecAssert.Canonical(response.Encode(), b => WithdrawalResponse.Decode(b).Encode(), b => WithdrawalResponse.TryDecode(b, out _));
    }

    [Fact]
    public void WithdrawalRequestToStringCountsCoinsButShowsNoBlindedMessage()
    {
        using var account = Ed25519SigningKey.Generate();
        var request = Request(account, new MessageSamples(46), 2);
        string text = request.ToString();
        Assert.Contains("worker-7", text, StringComparison.Ordinal);
        Assert.Contains("2 coins", text, StringComparison.Ordinal);
        Assert.DoesNotContain(Convert.ToHexString(request.Items[0].BlindedMessage.AsSpan()[..8]), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(request.Signature[..8]), text, StringComparison.OrdinalIgnoreCase);
    }

    private static WithdrawalRequest Request(Ed25519SigningKey account, MessageSamples s, int coins) =>
        WithdrawalRequest.Sign(
            new AccountId("worker-7"),
            new IdempotencyKey($"w-{s.Token()}"),
            [.. Enumerable.Range(0, coins).Select(_ => new WithdrawalItem(s.KeysetId(), BlindedMessage.FromBytes(s.Bytes(256))))],
            s_created,
            account);
}
