using Wallet.Crypto.Merkle;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Http.Wire;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.AspNetCore.Tests.Wire;

/// <summary>The HTTP envelopes: exact round trips of real results; every truncation, an extra byte and random garbage refused with the format error only.</summary>
public sealed class BodyCodecTests
{
    [Fact]
    public async Task EnvelopesRoundTripToIdenticalBytesAndRefuseEveryTruncation()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, seed) = await world.NewWalletAsync("worker-1", 1000);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id, world.General100.Id]);
        var issued = await world.Scheme.WithdrawAsync(request);
        wallet.CompleteWithdrawal(request, issued.Response!);
        var coins = wallet.Coins;
        await world.PayAsync(wallet, world.UnionA, 200);
        var (_, accepted) = await world.DepositAsync(world.UnionA, "d1");
        var other = world.UnionB.CreatePaymentRequest(Amount.FromMinorUnits(200), "dues", TimeSpan.FromHours(1));
        var doubled = await world.Scheme.DepositAsync(new DepositRequest(world.UnionB.Record.Id, new IdempotencyKey("b1"), ProtocolWorld.ForceSpends(seed, coins, other)));
        Assert.Equal(DepositStatus.DoubleSpend, doubled.Status);
        var rejected = new DepositResult(DepositStatus.Rejected, null, [new DepositRejection(3, DepositRejectionReason.WrongProvider)], []);

        var cases = new (byte[] Bytes, Func<byte[], byte[]> Reencode)[]
        {
            (BodyCodec.EncodeWithdrawalResult(issued), b => BodyCodec.EncodeWithdrawalResult(BodyCodec.DecodeWithdrawalResult(b))),
            (BodyCodec.EncodeWithdrawalResult(new WithdrawalResult(WithdrawalStatus.InsufficientFunds, null)), b => BodyCodec.EncodeWithdrawalResult(BodyCodec.DecodeWithdrawalResult(b))),
            (BodyCodec.EncodeDepositResult(accepted), b => BodyCodec.EncodeDepositResult(BodyCodec.DecodeDepositResult(b))),
            (BodyCodec.EncodeDepositResult(doubled), b => BodyCodec.EncodeDepositResult(BodyCodec.DecodeDepositResult(b))),
            (BodyCodec.EncodeDepositResult(rejected), b => BodyCodec.EncodeDepositResult(BodyCodec.DecodeDepositResult(b))),
            (BodyCodec.EncodeBlindedMessages([.. request.Items.Select(i => i.BlindedMessage)]), b => BodyCodec.EncodeBlindedMessages(BodyCodec.DecodeBlindedMessages(b, 16))),
            (BodyCodec.EncodeBlindSignatures([.. issued.Response!.BlindSignatures, null]), b => BodyCodec.EncodeBlindSignatures(BodyCodec.DecodeBlindSignatures(b))),
            (BodyCodec.EncodeCoinIds([.. coins.Select(c => c.Coin.Id)]), b => BodyCodec.EncodeCoinIds(BodyCodec.DecodeCoinIds(b, 16))),
            (BodyCodec.EncodeFlags([true, false]), b => BodyCodec.EncodeFlags(BodyCodec.DecodeFlags(b))),
            (BodyCodec.EncodeKeysets(await world.Scheme.ListKeysetsAsync()), b => BodyCodec.EncodeKeysets(BodyCodec.DecodeKeysets(b))),
            (BodyCodec.EncodeRegistries(await world.Scheme.ListRegistriesAsync()), b => BodyCodec.EncodeRegistries(BodyCodec.DecodeRegistries(b))),
        };

        EnvelopeAssert.RoundTripsAndRefusesDamage(cases, b => Math.Max(1, b.Length / 97));
    }

    [Fact]
    public async Task SwapResultsRoundTripExactlyAndRefuseTruncationAndExtraBytes()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var swap = wallet.PrepareChange(new IdempotencyKey("s1"), Amount.FromMinorUnits(100), [world.General100.Id])!;
        var swapped = await world.Scheme.SwapAsync(swap);
        Assert.Equal(Swaps.SwapStatus.Swapped, swapped.Status);

        foreach (var result in new[] { swapped, new Swaps.SwapResult(Swaps.SwapStatus.ValueMismatch, null, 3, []) })
        {
            byte[] bytes = BodyCodec.EncodeSwapResult(result);
            Assert.Equal(bytes, BodyCodec.EncodeSwapResult(BodyCodec.DecodeSwapResult(bytes)));
            for (int length = 0; length < bytes.Length; length++)
            {
                Assert.Throws<ProtocolFormatException>(() => BodyCodec.DecodeSwapResult(bytes[..length]));
            }

            Assert.Throws<ProtocolFormatException>(() => BodyCodec.DecodeSwapResult([.. bytes, 0]));
        }

        // The swapped status without its response (and a response under another status) is refused.
        byte[] refusedWithResponse = BodyCodec.EncodeSwapResult(swapped);
        refusedWithResponse[1] = (byte)Swaps.SwapStatus.ValueMismatch;
        Assert.Throws<ProtocolFormatException>(() => BodyCodec.DecodeSwapResult(refusedWithResponse));
    }

    [Fact]
    public void StatusAndPresenceMustAgree()
    {
        // "Issued" without a response, and an unknown status, are format errors, not half-results.
        Assert.Throws<ProtocolFormatException>(() => BodyCodec.DecodeWithdrawalResult([1, (byte)WithdrawalStatus.Issued, 0]));
        Assert.Throws<ProtocolFormatException>(() => BodyCodec.DecodeWithdrawalResult([1, 99, 0]));
        Assert.Throws<ProtocolFormatException>(() => BodyCodec.DecodeDepositResult([1, (byte)DepositStatus.Accepted, 0, 0, 0, 0, 0]));
        Assert.Throws<ProtocolFormatException>(() => BodyCodec.DecodeDepositResult([1, (byte)DepositStatus.Rejected, 0, 0, 1, 0, 0, 77, 0, 0]));
        Assert.Throws<ProtocolFormatException>(() => BodyCodec.DecodeFlags([1, 0, 1, 2]));
    }

    [Fact]
    public void RandomGarbageOnlyEverRaisesTheFormatError()
    {
        var decoders = new Action<byte[]>[]
        {
            b => BodyCodec.DecodeWithdrawalResult(b), b => BodyCodec.DecodeDepositResult(b), b => BodyCodec.DecodeBlindedMessages(b, 1024),
            b => BodyCodec.DecodeBlindSignatures(b), b => BodyCodec.DecodeCoinIds(b, 1024), b => BodyCodec.DecodeFlags(b),
            b => BodyCodec.DecodeKeysets(b), b => BodyCodec.DecodeRegistries(b), b => BodyCodec.DecodePaymentSubmission(b, 1024), b => BodyCodec.DecodePaymentResult(b),
        };
        EnvelopeAssert.GarbageRaisesOnlyTheFormatError(decoders, 7, 600);
    }
}
