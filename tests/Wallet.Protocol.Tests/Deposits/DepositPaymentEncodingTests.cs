using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Wire;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Deposits;

/// <summary>The per-payment outcomes on the wire and the receipt's list of credited payments: exact round trips, and every malformed form refused with the format error.</summary>
public sealed class DepositPaymentEncodingTests
{
    [Fact]
    public void DepositResultWithEveryKindOfPaymentOutcomeRoundTripsToIdenticalBytes()
    {
        var samples = new MessageSamples(21);
        var result = new DepositResult(DepositStatus.Rejected, null, [new DepositRejection(0, DepositRejectionReason.BadIssuerSignature)], [samples.Proof()])
        {
            Payments =
            [
                new(samples.Request().Id, DepositPaymentStatus.Rejected, DepositRejectionReason.BadIssuerSignature, []),
                new(samples.Request().Id, DepositPaymentStatus.DoubleSpend, null, [samples.Proof(), samples.Proof()]),
                new(samples.Request().Id, DepositPaymentStatus.AlreadyDeposited, null, []),
            ],
        };

        byte[] encoded = PbEnvelopes.EncodeDepositResult(result);
        var decoded = PbEnvelopes.DecodeDepositResult(encoded);

        Assert.Equal(encoded, PbEnvelopes.EncodeDepositResult(decoded));
        Assert.Equal(result.Payments.Select(p => (p.Payment, p.Status, p.Reason, p.DoubleSpendProofs.Count)), decoded.Payments.Select(p => (p.Payment, p.Status, p.Reason, p.DoubleSpendProofs.Count)));
        Assert.Equal(encoded, PbEnvelopes.EncodeDepositResult(PbEnvelopes.DecodeDepositResult(encoded)));
        for (int cut = 0; cut < encoded.Length; cut++)
        {
            Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeDepositResult(encoded.AsSpan(0, cut)));
        }

        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeDepositResult([.. encoded, 0]));
    }

    public static TheoryData<string> MalformedOutcomes => new()
    {
        "unknown-status", "accepted-with-reason", "rejected-without-reason", "rejected-with-unknown-reason", "double-spend-without-proof", "accepted-with-proof", "payment-twice",
    };

    [Theory]
    [MemberData(nameof(MalformedOutcomes))]
    public void MalformedPaymentOutcomeIsAFormatError(string kind)
    {
        var samples = new MessageSamples(22);
        var id = samples.Request().Id;
        byte[] proof = samples.Proof().Encode();
        byte[] body = kind switch
        {
            "unknown-status" => Outcome(id, 9, 0),
            "accepted-with-reason" => Outcome(id, (byte)DepositPaymentStatus.Accepted, (byte)DepositRejectionReason.AmountMismatch),
            "rejected-without-reason" => Outcome(id, (byte)DepositPaymentStatus.Rejected, 0),
            "rejected-with-unknown-reason" => Outcome(id, (byte)DepositPaymentStatus.Rejected, 200),
            "double-spend-without-proof" => Outcome(id, (byte)DepositPaymentStatus.DoubleSpend, 0),
            "accepted-with-proof" => Outcome(id, (byte)DepositPaymentStatus.Accepted, 0, proof),
            _ => [.. Outcome(id, (byte)DepositPaymentStatus.AlreadyDeposited, 0), .. Outcome(id, (byte)DepositPaymentStatus.AlreadyDeposited, 0)],
        };
        int count = kind == "payment-twice" ? 2 : 1;

        // The stored form and the result envelope share the payment encoding; both refuse it.
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeDepositPayments([PbEnvelopes.Version, 0, (byte)count, .. body]));
        byte[] envelope = [PbEnvelopes.Version, (byte)DepositStatus.AlreadyDeposited, 0, 0, 0, 0, 0, 0, (byte)count, .. body];
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeDepositResult(envelope));
    }

    [Fact]
    public void WellFormedOutcomeInTheHandBuiltLayoutDecodes()
    {
        var id = new MessageSamples(23).Request().Id;
        byte[] envelope = [PbEnvelopes.Version, (byte)DepositStatus.AlreadyDeposited, 0, 0, 0, 0, 0, 0, 1, .. Outcome(id, (byte)DepositPaymentStatus.AlreadyDeposited, 0)];

        var decoded = PbEnvelopes.DecodeDepositResult(envelope);

        Assert.Equal(new DepositPaymentOutcome(id, DepositPaymentStatus.AlreadyDeposited, null, []), decoded.Payments.Single() with { DoubleSpendProofs = [] });
        Assert.Equal(envelope, PbEnvelopes.EncodeDepositResult(decoded));
    }

    [Fact]
    public async Task ReceiptNamesOnlyPaymentsOfItsRequestAndCountsTheirCoins()
    {
        using var scheme = Ed25519SigningKey.Generate();
        var samples = new MessageSamples(24);
        var (one, two) = (samples.Request(), samples.Request());
        var spends = new[] { new Protocol.Coins.CoinSpend(samples.Coin(), one, samples.Bytes(64)), new Protocol.Coins.CoinSpend(samples.Coin(), two, samples.Bytes(64)), new Protocol.Coins.CoinSpend(samples.Coin(), one, samples.Bytes(64)) };
        var request = new DepositRequest(new AccountId("union-a"), new IdempotencyKey("d1"), spends);
        var (leaf, head, proof) = await LogAsync(scheme, samples);

        var receipt = DepositReceipt.Sign(request, [one.Id], Amount.FromMinorUnits(200), leaf, head, proof, samples.Time(), scheme);

        Assert.Equal([one.Id], receipt.Payments.ToArray());
        Assert.Equal(2, receipt.CoinCount);
        Assert.True(receipt.Verify(request, scheme.PublicKey));
        Assert.True(DepositReceipt.Decode(receipt.Encode()).Verify(request, scheme.PublicKey));
        Assert.False(receipt.Verify(new DepositRequest(request.Provider, request.IdempotencyKey, [spends[1]]), scheme.PublicKey));
        Assert.Throws<ArgumentException>("payments", () => DepositReceipt.Sign(request, [samples.Request().Id], Amount.FromMinorUnits(1), leaf, head, proof, samples.Time(), scheme));
        Assert.Throws<ArgumentException>("payments", () => DepositReceipt.Sign(request, [one.Id, one.Id], Amount.FromMinorUnits(1), leaf, head, proof, samples.Time(), scheme));
        Assert.Throws<ArgumentException>("payments", () => DepositReceipt.Sign(request, [], Amount.FromMinorUnits(1), leaf, head, proof, samples.Time(), scheme));

        var both = DepositReceipt.Sign(request, [two.Id, one.Id], Amount.FromMinorUnits(300), leaf, head, proof, samples.Time(), scheme);
        Assert.Equal(new[] { one.Id, two.Id }.Order(), both.Payments);
        Assert.Equal(3, both.CoinCount);
    }

    [Fact]
    public async Task ReceiptWithItsPaymentsOutOfOrderIsAFormatError()
    {
        using var scheme = Ed25519SigningKey.Generate();
        var samples = new MessageSamples(25);
        var (one, two) = (samples.Request(), samples.Request());
        var request = new DepositRequest(new AccountId("union-a"), new IdempotencyKey("d1"), [new Protocol.Coins.CoinSpend(samples.Coin(), one, samples.Bytes(64)), new Protocol.Coins.CoinSpend(samples.Coin(), two, samples.Bytes(64))]);
        var (leaf, head, proof) = await LogAsync(scheme, samples);
        byte[] encoded = DepositReceipt.Sign(request, [one.Id, two.Id], Amount.FromMinorUnits(200), leaf, head, proof, samples.Time(), scheme).Encode();

        // version, provider (u8 length), key (u8 length), request hash, u16 count: then the two ids.
        int at = 1 + 1 + encoded[1] + 1 + encoded[2 + encoded[1]] + 32 + 2;
        byte[] swapped = (byte[])encoded.Clone();
        encoded.AsSpan(at, 32).CopyTo(swapped.AsSpan(at + 32));
        encoded.AsSpan(at + 32, 32).CopyTo(swapped.AsSpan(at));

        Assert.Throws<ProtocolFormatException>(() => DepositReceipt.Decode(swapped));
        byte[] twice = (byte[])encoded.Clone();
        encoded.AsSpan(at, 32).CopyTo(twice.AsSpan(at + 32));
        Assert.Throws<ProtocolFormatException>(() => DepositReceipt.Decode(twice));
    }

    private static byte[] Outcome(PaymentId id, byte status, byte reason, params byte[][] proofs)
    {
        var bytes = new List<byte>(id.Bytes.ToArray()) { status, reason, 0, (byte)proofs.Length };
        foreach (byte[] proof in proofs)
        {
            bytes.AddRange([(byte)(proof.Length >> 24), (byte)(proof.Length >> 16), (byte)(proof.Length >> 8), (byte)proof.Length]);
            bytes.AddRange(proof);
        }

        return [.. bytes];
    }

    private static async Task<(MerkleHash Leaf, SignedTreeHead Head, InclusionProof Proof)> LogAsync(Ed25519SigningKey scheme, MessageSamples samples)
    {
        var log = new MerkleLog(new InMemoryMerkleLogStore());
        byte[] entry = samples.Bytes(16);
        await log.AppendAsync(samples.Bytes(16));
        await log.AppendAsync(entry);
        var head = await log.SignTreeHeadAsync(scheme, new Microsoft.Extensions.Time.Testing.FakeTimeProvider(samples.Time()));
        return (MerkleTree.HashLeaf(entry), head, await log.GetInclusionProofAsync(1, head.TreeSize));
    }
}
