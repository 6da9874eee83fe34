using Wallet.Crypto.Merkle;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Binding;

/// <summary>The HTTP envelopes: exact round trips of real results; every truncation, an extra byte and random garbage refused with the format error only.</summary>
public sealed class PbEnvelopesTests
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
        var other = await world.UnionB.CreatePaymentRequestAsync(Amount.FromMinorUnits(200), "dues", TimeSpan.FromHours(1));
        var doubled = await world.Scheme.DepositAsync(new DepositRequest(world.UnionB.Record.Id, new IdempotencyKey("b1"), ProtocolWorld.ForceSpends(seed, coins, other)));
        Assert.Equal(DepositStatus.DoubleSpend, doubled.Status);
        var rejected = new DepositResult(DepositStatus.Rejected, null, [new DepositRejection(3, DepositRejectionReason.WrongProvider)], []);

        var cases = new (byte[] Bytes, Func<byte[], byte[]> Reencode)[]
        {
            (PbEnvelopes.EncodeWithdrawalResult(issued), b => PbEnvelopes.EncodeWithdrawalResult(PbEnvelopes.DecodeWithdrawalResult(b))),
            (PbEnvelopes.EncodeWithdrawalResult(new WithdrawalResult(WithdrawalStatus.InsufficientFunds, null)), b => PbEnvelopes.EncodeWithdrawalResult(PbEnvelopes.DecodeWithdrawalResult(b))),
            (PbEnvelopes.EncodeWithdrawalResult(Reversed(request, world)), b => PbEnvelopes.EncodeWithdrawalResult(PbEnvelopes.DecodeWithdrawalResult(b))),
            (PbEnvelopes.EncodeDepositResult(accepted), b => PbEnvelopes.EncodeDepositResult(PbEnvelopes.DecodeDepositResult(b))),
            (PbEnvelopes.EncodeDepositResult(doubled), b => PbEnvelopes.EncodeDepositResult(PbEnvelopes.DecodeDepositResult(b))),
            (PbEnvelopes.EncodeDepositResult(rejected), b => PbEnvelopes.EncodeDepositResult(PbEnvelopes.DecodeDepositResult(b))),
            (PbEnvelopes.EncodeBlindedMessages([.. request.Items.Select(i => i.BlindedMessage)]), b => PbEnvelopes.EncodeBlindedMessages(PbEnvelopes.DecodeBlindedMessages(b, 16))),
            (PbEnvelopes.EncodeBlindSignatures([.. issued.Response!.BlindSignatures, null]), b => PbEnvelopes.EncodeBlindSignatures(PbEnvelopes.DecodeBlindSignatures(b))),
            (PbEnvelopes.EncodeCoinIds([.. coins.Select(c => c.Coin.Id)]), b => PbEnvelopes.EncodeCoinIds(PbEnvelopes.DecodeCoinIds(b, 16))),
            (PbEnvelopes.EncodeFlags([true, false]), b => PbEnvelopes.EncodeFlags(PbEnvelopes.DecodeFlags(b))),
            (PbEnvelopes.EncodeKeysets(await world.Scheme.ListKeysetsAsync()), b => PbEnvelopes.EncodeKeysets(PbEnvelopes.DecodeKeysets(b))),
            (PbEnvelopes.EncodeRegistries(await world.Scheme.ListRegistriesAsync()), b => PbEnvelopes.EncodeRegistries(PbEnvelopes.DecodeRegistries(b))),
        };

        EnvelopeAssert.RoundTripsAndRefusesDamage(cases, b => Math.Max(1, b.Length / 97));
    }

    [Fact]
    public async Task SwapResultsRoundTripExactlyAndRefuseTruncationAndExtraBytes()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General500);
        var swap = wallet.PrepareChange(new IdempotencyKey("s1"), Amount.FromMinorUnits(100), [world.General100.Id]).Request!;
        var swapped = await world.Scheme.SwapAsync(swap);
        Assert.Equal(Protocol.Swaps.SwapStatus.Swapped, swapped.Status);

        foreach (var result in new[] { swapped, new Protocol.Swaps.SwapResult(Protocol.Swaps.SwapStatus.ValueMismatch, null, 3, []) })
        {
            byte[] bytes = PbEnvelopes.EncodeSwapResult(result);
            Assert.Equal(bytes, PbEnvelopes.EncodeSwapResult(PbEnvelopes.DecodeSwapResult(bytes)));
            for (int length = 0; length < bytes.Length; length++)
            {
                Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeSwapResult(bytes[..length]));
            }

            Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeSwapResult([.. bytes, 0]));
        }

        // The swapped status without its response (and a response under another status) is refused.
        byte[] refusedWithResponse = PbEnvelopes.EncodeSwapResult(swapped);
        refusedWithResponse[1] = (byte)Protocol.Swaps.SwapStatus.ValueMismatch;
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeSwapResult(refusedWithResponse));
    }

    [Fact]
    public void StatusAndPresenceMustAgree()
    {
        // "Issued" without a response, and an unknown status, are format errors, not half-results.
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeWithdrawalResult([1, (byte)WithdrawalStatus.Issued, 0]));
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeWithdrawalResult([1, 99, 0, 0]));
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeDepositResult([1, (byte)DepositStatus.Accepted, 0, 0, 0, 0, 0]));
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeDepositResult([1, (byte)DepositStatus.Rejected, 0, 0, 1, 0, 0, 77, 0, 0]));
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeFlags([1, 0, 1, 2]));
    }

    [Fact]
    public async Task AReversalComesWithAndOnlyWithTheReversedStatus()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [world.General100.Id]);
        var reversed = Reversed(request, world);

        var decoded = PbEnvelopes.DecodeWithdrawalResult(PbEnvelopes.EncodeWithdrawalResult(reversed));
        byte[] underAnotherStatus = PbEnvelopes.EncodeWithdrawalResult(reversed);
        underAnotherStatus[1] = (byte)WithdrawalStatus.SigningKeyUnavailable;

        Assert.Equal(WithdrawalStatus.Reversed, decoded.Status);
        Assert.True(decoded.Reversal!.Verify(request, world.SchemeKey.PublicKey));
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeWithdrawalResult(underAnotherStatus));
        Assert.Throws<ProtocolFormatException>(() => PbEnvelopes.DecodeWithdrawalResult([1, (byte)WithdrawalStatus.Reversed, 0, 0]));
    }

    private static WithdrawalResult Reversed(WithdrawalRequest request, ProtocolWorld world) =>
        new(WithdrawalStatus.Reversed, null) { Reversal = WithdrawalReversalReceipt.Sign(request, Amount.FromMinorUnits(100 * request.Items.Length), world.Time.GetUtcNow(), world.SchemeKey) };

    [Fact]
    public void RandomGarbageOnlyEverRaisesTheFormatError()
    {
        var decoders = new Action<byte[]>[]
        {
            b => PbEnvelopes.DecodeWithdrawalResult(b), b => PbEnvelopes.DecodeDepositResult(b), b => PbEnvelopes.DecodeBlindedMessages(b, 1024),
            b => PbEnvelopes.DecodeBlindSignatures(b), b => PbEnvelopes.DecodeCoinIds(b, 1024), b => PbEnvelopes.DecodeFlags(b),
            b => PbEnvelopes.DecodeKeysets(b), b => PbEnvelopes.DecodeRegistries(b), b => PbEnvelopes.DecodePaymentSubmission(b, 1024), b => PbEnvelopes.DecodePaymentResult(b),
        };
        EnvelopeAssert.GarbageRaisesOnlyTheFormatError(decoders, 7, 600);
    }
}
