using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.Wire;
using Wallet.Protocol.Withdrawals;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Recovery;

/// <summary>A worker's claim to the unspent coins of a revoked keyset, with each coin's blinding disclosed.</summary>
public sealed class RecoveryRequestTests
{
    private static readonly DateTimeOffset s_created = new(2026, 8, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RecoveryRequestVerifiesUnderTheAccountKeyOnlyAndNotWithAnotherBlinding()
    {
        using var account = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var s = new MessageSamples(51);
        var item = new RecoveryItem(s.Coin(), s.Bytes(48), s.Bytes(256));
        var request = Sign(account, [item], s);

        Assert.True(request.Verify(account.PublicKey));
        Assert.True(RecoveryRequest.Decode(request.Encode()).Verify(account.PublicKey));
        Assert.False(request.Verify(other.PublicKey));

        byte[] factor = item.BlindingFactor.ToArray();
        byte[] swapped = [.. factor[..^1], (byte)(factor[^1] ^ 1)];
        var altered = RecoveryRequest.Decode(CodecAssert.Replace(request.Encode(), factor, swapped));
        Assert.Equal(swapped, altered.Inputs[0].BlindingFactor.ToArray());
        Assert.False(altered.Verify(account.PublicKey));
    }

    [Fact]
    public void RecoveryRequestRejectsEmptyOrOversizedInputsAndOutputs()
    {
        using var account = Ed25519SigningKey.Generate();
        var s = new MessageSamples(52);
        var item = new RecoveryItem(s.Coin(), s.Bytes(32), s.Bytes(256));
        var output = Output(s);
        Assert.Throws<ArgumentException>("inputs", () => RecoveryRequest.Sign(new AccountId("w"), new IdempotencyKey("r"), [], [output], s_created, account));
        Assert.Throws<ArgumentException>("inputs", () => RecoveryRequest.Sign(new AccountId("w"), new IdempotencyKey("r"), Enumerable.Repeat(item, SwapRequest.MaxItems + 1).ToList(), [output], s_created, account));
        Assert.Throws<ArgumentException>("outputs", () => RecoveryRequest.Sign(new AccountId("w"), new IdempotencyKey("r"), [item], [], s_created, account));
        Assert.Throws<ArgumentException>("outputs", () => RecoveryRequest.Sign(new AccountId("w"), new IdempotencyKey("r"), [item], Enumerable.Repeat(output, SwapRequest.MaxItems + 1).ToList(), s_created, account));
    }

    [Theory]
    [InlineData(0, 256, "salt")]
    [InlineData(RecoveryItem.MaxSaltLength + 1, 256, "salt")]
    [InlineData(48, 0, "blindingFactor")]
    [InlineData(48, WithdrawalItem.MaxBlindedLength + 1, "blindingFactor")]
    public void RecoveryItemRejectsAnEmptyOrOversizedBlinding(int salt, int factor, string parameter)
    {
        var s = new MessageSamples(53);
        Assert.Throws<ArgumentException>(parameter, () => new RecoveryItem(s.Coin(), new byte[salt], new byte[factor]));
    }

    [Fact]
    public void RecoveryRequestDecodeRejectsEveryTruncationAndATrailingByte()
    {
        var request = new SwapSamples(54).Recovery();
        CodecAssert.Canonical(request.Encode(), b => RecoveryRequest.Decode(b).Encode(), b => RecoveryRequest.TryDecode(b, out _));
        Assert.Equal(request.Hash(), RecoveryRequest.Decode(request.Encode()).Hash());
    }

    [Fact]
    public void RecoveryToStringShowsNoSaltOrBlindingFactor()
    {
        using var account = Ed25519SigningKey.Generate();
        var s = new MessageSamples(55);
        var item = new RecoveryItem(s.Coin(), s.Bytes(48), s.Bytes(256));
        var request = Sign(account, [item], s);
        foreach (string text in new[] { item.ToString(), request.ToString() })
        {
            Assert.DoesNotContain(Convert.ToHexString(item.Salt[..8]), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToHexString(item.BlindingFactor[..8]), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToHexString(request.Signature[..8]), text, StringComparison.OrdinalIgnoreCase);
        }

        Assert.Contains(item.Coin.Id.ToString(), item.ToString(), StringComparison.Ordinal);
        Assert.Contains("1 in, 1 out", request.ToString(), StringComparison.Ordinal);
    }

    private static RecoveryRequest Sign(Ed25519SigningKey account, IReadOnlyList<RecoveryItem> items, MessageSamples s) =>
        RecoveryRequest.Sign(new AccountId("worker-9"), new IdempotencyKey("recover-1"), items, [Output(s)], s_created, account);

    private static WithdrawalItem Output(MessageSamples s) => new(s.KeysetId(), BlindedMessage.FromBytes(s.Bytes(256)));
}
