using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Http.Wire;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.AspNetCore.Tests.Wire;

/// <summary>The operator envelopes: exact round trips; every truncation, an extra byte, a wrong version and random garbage refused with the format error only.</summary>
public sealed class OperatorBodyCodecTests
{
    [Fact]
    public async Task EnvelopesRoundTripToIdenticalBytesAndRefuseEveryTruncation()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        using var key = Ed25519SigningKey.Generate();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100);
        world.Time.Advance(TimeSpan.FromDays(91));
        var expiry = await world.Scheme.ExpireKeysetAsync(world.General100.Id);
        var parameters = new KeysetParameters(4, Amount.FromMinorUnits(500), "training", ProtocolWorld.Start, ProtocolWorld.Start.AddDays(1), ProtocolWorld.Start.AddDays(2), ProtocolWorld.Start.AddDays(3), BlindRsaScheme.Rsapbssa, 3072);
        var stored = (await world.Scheme.ListKeysetsAsync())[0];
        var verification = await world.Ledger.VerifyAsync();
        var problems = verification with { Problems = ["entry 3: hash chain broken", "ünïcode"] };

        var cases = new (byte[] Bytes, Func<byte[], byte[]> Reencode)[]
        {
            (OperatorBodyCodec.EncodeSchemeKey(key.PublicKey), b => OperatorBodyCodec.EncodeSchemeKey(OperatorBodyCodec.DecodeSchemeKey(b))),
            (OperatorBodyCodec.EncodeAccountKey(wallet.Account, key.PublicKey), b => Reencode(OperatorBodyCodec.DecodeAccountKey(b))),
            (OperatorBodyCodec.EncodeContribution(new IdempotencyKey("k1"), ContributionSource.Levy, wallet.Account, Amount.FromMinorUnits(1234)), b => Reencode(OperatorBodyCodec.DecodeContribution(b))),
            (OperatorBodyCodec.EncodeContributionResult(new ContributionResult(LedgerStatus.IdempotencyKeyReused, true)), b => OperatorBodyCodec.EncodeContributionResult(OperatorBodyCodec.DecodeContributionResult(b))),
            (OperatorBodyCodec.EncodeKeysetRequest(new IdempotencyKey("k2"), parameters), b => Reencode(OperatorBodyCodec.DecodeKeysetRequest(b))),
            (OperatorBodyCodec.EncodeKeyset(stored), b => OperatorBodyCodec.EncodeKeyset(OperatorBodyCodec.DecodeKeyset(b))),
            (OperatorBodyCodec.EncodePublished(true), b => OperatorBodyCodec.EncodePublished(OperatorBodyCodec.DecodePublished(b))),
            (OperatorBodyCodec.EncodeKeysetId(world.General500.Id), b => OperatorBodyCodec.EncodeKeysetId(OperatorBodyCodec.DecodeKeysetId(b))),
            (OperatorBodyCodec.EncodeLogRecord(LogEntry.ForExpiry(expiry!)), b => OperatorBodyCodec.EncodeLogRecord(OperatorBodyCodec.DecodeLogRecord(b, LogEntryKind.KeysetExpired))),
            (OperatorBodyCodec.EncodeAllocationRound("round-1", [new DefaultAllocationInput(wallet.Account, "care", "north"), new DefaultAllocationInput(new AccountId("w2"), "retail", "*")]), b => Reencode(OperatorBodyCodec.DecodeAllocationRound(b))),
            (OperatorBodyCodec.EncodeLedgerAccount(LedgerAccount.Outstanding(world.General500.Id)), b => OperatorBodyCodec.EncodeLedgerAccount(OperatorBodyCodec.DecodeLedgerAccount(b))),
            (OperatorBodyCodec.EncodeBalance(-42), b => OperatorBodyCodec.EncodeBalance(OperatorBodyCodec.DecodeBalance(b))),
            (OperatorBodyCodec.EncodeKeysetTotals(await world.Ledger.GetKeysetAsync(world.General100.Id)), b => OperatorBodyCodec.EncodeKeysetTotals(OperatorBodyCodec.DecodeKeysetTotals(b))),
            (OperatorBodyCodec.EncodeLedgerVerification(problems), b => OperatorBodyCodec.EncodeLedgerVerification(OperatorBodyCodec.DecodeLedgerVerification(b))),
        };

        EnvelopeAssert.RoundTripsAndRefusesDamage(cases);

        Assert.Equal(LedgerAccount.DefaultPool, OperatorBodyCodec.DecodeLedgerAccount(OperatorBodyCodec.EncodeLedgerAccount(LedgerAccount.DefaultPool)));
        Assert.Equal(problems.Problems, OperatorBodyCodec.DecodeLedgerVerification(OperatorBodyCodec.EncodeLedgerVerification(problems)).Problems);

        // A log record of another kind than the operation logs is not accepted as its answer.
        Assert.Throws<ProtocolFormatException>(() => OperatorBodyCodec.DecodeLogRecord(OperatorBodyCodec.EncodeLogRecord(LogEntry.ForExpiry(expiry!)), LogEntryKind.DefaultAllocated));
    }

    [Fact]
    public void RandomGarbageOnlyEverRaisesTheFormatError()
    {
        var decoders = new Action<byte[]>[]
        {
            b => OperatorBodyCodec.DecodeAck(b), b => OperatorBodyCodec.DecodeSchemeKey(b), b => OperatorBodyCodec.DecodeAccountKey(b),
            b => OperatorBodyCodec.DecodeContribution(b), b => OperatorBodyCodec.DecodeContributionResult(b), b => OperatorBodyCodec.DecodeKeysetRequest(b),
            b => OperatorBodyCodec.DecodeKeyset(b), b => OperatorBodyCodec.DecodePublished(b), b => OperatorBodyCodec.DecodeKeysetId(b),
            b => OperatorBodyCodec.DecodeLogRecord(b, LogEntryKind.DefaultAllocated), b => OperatorBodyCodec.DecodeAllocationRound(b),
            b => OperatorBodyCodec.DecodeLedgerAccount(b), b => OperatorBodyCodec.DecodeBalance(b), b => OperatorBodyCodec.DecodeKeysetTotals(b),
            b => OperatorBodyCodec.DecodeLedgerVerification(b),
        };
        EnvelopeAssert.GarbageRaisesOnlyTheFormatError(decoders, 11, 200);
    }

    private static byte[] Reencode((AccountId Account, Ed25519PublicKey Key) v) => OperatorBodyCodec.EncodeAccountKey(v.Account, v.Key);

    private static byte[] Reencode((IdempotencyKey Key, ContributionSource Source, AccountId Worker, Amount Amount) v) => OperatorBodyCodec.EncodeContribution(v.Key, v.Source, v.Worker, v.Amount);

    private static byte[] Reencode((IdempotencyKey Key, KeysetParameters Parameters) v) => OperatorBodyCodec.EncodeKeysetRequest(v.Key, v.Parameters);

    private static byte[] Reencode((string Round, DefaultAllocationInput[] Workers) v) => OperatorBodyCodec.EncodeAllocationRound(v.Round, v.Workers);
}
