using System.Security.Cryptography;
using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Tests.Wire;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Deposits;

/// <summary>A provider's deposit batch and the scheme's receipt for it, checked offline the way a provider checks it.</summary>
public sealed class DepositTests
{
    private const long Total = 0x0102_0304_0506_0708;

    [Fact]
    public async Task DepositReceiptVerifiesForItsRequestUnderTheSchemeKeyAndAfterARoundTrip()
    {
        using var scheme = Ed25519SigningKey.Generate();
        var (request, receipt) = await SignedAsync(scheme, new MessageSamples(1));

        Assert.True(receipt.Verify(request, scheme.PublicKey));
        Assert.True(DepositReceipt.Decode(receipt.Encode()).Verify(request, scheme.PublicKey));
        Assert.Equal(request.Provider, receipt.Provider);
        Assert.Equal(request.Spends.Length, receipt.CoinCount);
        Assert.Equal(request.Hash(), receipt.RequestHash.ToArray());
        Assert.Equal(Total, receipt.Total.MinorUnits);
    }

    [Fact]
    public async Task DepositReceiptWithAlteredAmountFailsVerification()
    {
        using var scheme = Ed25519SigningKey.Generate();
        var (request, receipt) = await SignedAsync(scheme, new MessageSamples(2));
        byte[] altered = CodecAssert.Replace(receipt.Encode(), CodecAssert.I64(Total), CodecAssert.I64(Total + 1));

        var decoded = DepositReceipt.Decode(altered);
        Assert.Equal(Total + 1, decoded.Total.MinorUnits);
        Assert.False(decoded.Verify(request, scheme.PublicKey));
    }

    [Fact]
    public async Task DepositReceiptFailsUnderAnotherKeyOrForAnotherBatch()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var samples = new MessageSamples(3);
        var (request, receipt) = await SignedAsync(scheme, samples);

        Assert.False(receipt.Verify(request, other.PublicKey));
        Assert.False(receipt.Verify(new DepositRequest(request.Provider, new IdempotencyKey("another-key"), request.Spends), scheme.PublicKey));
        Assert.False(receipt.Verify(new DepositRequest(request.Provider, request.IdempotencyKey, [.. request.Spends, samples.Spend()]), scheme.PublicKey));
    }

    [Fact]
    public async Task DepositReceiptWhoseLeafIsNotInTheTreeFailsVerification()
    {
        using var scheme = Ed25519SigningKey.Generate();
        var samples = new MessageSamples(4);
        var (request, receipt) = await SignedAsync(scheme, samples);
        var stray = DepositReceipt.Sign(request, receipt.Payments, receipt.Total, MerkleTree.HashLeaf(samples.Bytes(8)), receipt.TreeHead, receipt.InclusionProof, receipt.IssuedAt, scheme);

        Assert.False(stray.Verify(request, scheme.PublicKey));
    }

    [Fact]
    public void DepositRequestRejectsNoSpendsOrTooManyAndHashesItsEncoding()
    {
        var s = new MessageSamples(5);
        var spend = s.Spend();
        Assert.Throws<ArgumentException>("spends", () => new DepositRequest(new AccountId("p"), new IdempotencyKey("k"), []));
        Assert.Throws<ArgumentException>("spends", () => new DepositRequest(new AccountId("p"), new IdempotencyKey("k"), Enumerable.Repeat(spend, DepositRequest.MaxSpends + 1).ToList()));
        Assert.Throws<ArgumentNullException>("provider", () => new DepositRequest(null!, new IdempotencyKey("k"), [spend]));

        var request = new DepositRequest(new AccountId("p"), new IdempotencyKey("k"), [spend]);
        Assert.Equal(SHA256.HashData(request.Encode()), request.Hash());
        Assert.NotEqual(request.Hash(), new DepositRequest(new AccountId("p"), new IdempotencyKey("k2"), [spend]).Hash());
    }

    [Fact]
    public async Task DepositRequestAndReceiptDecodeRejectEveryTruncationAndATrailingByte()
    {
        using var scheme = Ed25519SigningKey.Generate();
        var (request, receipt) = await SignedAsync(scheme, new MessageSamples(6));
        CodecAssert.Canonical(request.Encode(), b => DepositRequest.Decode(b).Encode(), b => DepositRequest.TryDecode(b, out _));
        CodecAssert.Canonical(receipt.Encode(), b => DepositReceipt.Decode(b).Encode(), b => DepositReceipt.TryDecode(b, out _));
    }

    [Fact]
    public void DepositRequestToStringCountsCoinsButShowsNoSpend()
    {
        var s = new MessageSamples(7);
        var spend = s.Spend();
        string text = new DepositRequest(new AccountId("union-a"), new IdempotencyKey("batch-1"), [spend, s.Spend()]).ToString();
        Assert.Contains("union-a", text, StringComparison.Ordinal);
        Assert.Contains("2 coins", text, StringComparison.Ordinal);
        Assert.DoesNotContain(spend.Coin.Id.ToString(), text, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain(Convert.ToHexString(spend.SpendSignature), text, StringComparison.OrdinalIgnoreCase);
    }

    // A real log with the batch's entry at a known index, so the inclusion proof genuinely holds.
    private static async Task<(DepositRequest Request, DepositReceipt Receipt)> SignedAsync(Ed25519SigningKey scheme, MessageSamples samples)
    {
        var request = samples.Deposit();
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        byte[][] entries = [.. Enumerable.Range(0, 5).Select(_ => samples.Bytes(16))];
        foreach (byte[] entry in entries)
        {
            await log.AppendAsync(entry);
        }

        var head = await log.SignTreeHeadAsync(scheme, new FakeTimeProvider(samples.Time()));
        var proof = await log.GetInclusionProofAsync(3, head.TreeSize);
        var receipt = DepositReceipt.Sign(request, AllPayments(request), Amount.FromMinorUnits(Total), MerkleTree.HashLeaf(entries[3]), head, proof, samples.Time(), scheme);
        return (request, receipt);
    }

    private static PaymentId[] AllPayments(DepositRequest request) => [.. request.Spends.Select(s => s.Request.Id).Distinct()];
}
