using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Binding;

/// <summary>The operator envelopes: exact round trips; every truncation, an extra byte, a wrong version and random garbage refused with the format error only.</summary>
public sealed class OperatorEnvelopesTests
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
            (OperatorEnvelopes.EncodeSchemeKey(key.PublicKey), b => OperatorEnvelopes.EncodeSchemeKey(OperatorEnvelopes.DecodeSchemeKey(b))),
            (OperatorEnvelopes.EncodeAccountKey(wallet.Account, key.PublicKey), b => Reencode(OperatorEnvelopes.DecodeAccountKey(b))),
            (OperatorEnvelopes.EncodeContribution(new IdempotencyKey("k1"), ContributionSource.Levy, wallet.Account, Amount.FromMinorUnits(1234)), b => Reencode(OperatorEnvelopes.DecodeContribution(b))),
            (OperatorEnvelopes.EncodeContribution(new IdempotencyKey("k1"), new AccountId("employer-1"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(1234)), b => ReencodeNamed(OperatorEnvelopes.DecodeNamedContribution(b))),
            (OperatorEnvelopes.EncodeContributionResult(new ContributionResult(LedgerStatus.IdempotencyKeyReused, true)), b => OperatorEnvelopes.EncodeContributionResult(OperatorEnvelopes.DecodeContributionResult(b))),
            (OperatorEnvelopes.EncodeKeysetRequest(new IdempotencyKey("k2"), parameters), b => Reencode(OperatorEnvelopes.DecodeKeysetRequest(b))),
            (OperatorEnvelopes.EncodeKeyset(stored), b => OperatorEnvelopes.EncodeKeyset(OperatorEnvelopes.DecodeKeyset(b))),
            (OperatorEnvelopes.EncodePublished(true), b => OperatorEnvelopes.EncodePublished(OperatorEnvelopes.DecodePublished(b))),
            (OperatorEnvelopes.EncodeKeysetId(world.General500.Id), b => OperatorEnvelopes.EncodeKeysetId(OperatorEnvelopes.DecodeKeysetId(b))),
            (OperatorEnvelopes.EncodeLogRecord(LogEntry.ForExpiry(expiry!)), b => OperatorEnvelopes.EncodeLogRecord(OperatorEnvelopes.DecodeLogRecord(b, LogEntryKind.KeysetExpired))),
            (OperatorEnvelopes.EncodeAllocationRound("round-1", [new DefaultAllocationInput(wallet.Account, "care", "north"), new DefaultAllocationInput(new AccountId("w2"), "retail", "*")]), b => Reencode(OperatorEnvelopes.DecodeAllocationRound(b))),
            (OperatorEnvelopes.EncodeLedgerAccount(LedgerAccount.Outstanding(world.General500.Id)), b => OperatorEnvelopes.EncodeLedgerAccount(OperatorEnvelopes.DecodeLedgerAccount(b))),
            (OperatorEnvelopes.EncodeBalance(-42), b => OperatorEnvelopes.EncodeBalance(OperatorEnvelopes.DecodeBalance(b))),
            (OperatorEnvelopes.EncodeKeysetTotals(await world.Ledger.GetKeysetAsync(world.General100.Id)), b => OperatorEnvelopes.EncodeKeysetTotals(OperatorEnvelopes.DecodeKeysetTotals(b))),
            (OperatorEnvelopes.EncodeLedgerVerification(problems), b => OperatorEnvelopes.EncodeLedgerVerification(OperatorEnvelopes.DecodeLedgerVerification(b))),
            (OperatorEnvelopes.EncodeReversalSummary(new WithdrawalReversalSummary(world.General100.Id, 3, Amount.FromMinorUnits(700))), b => OperatorEnvelopes.EncodeReversalSummary(OperatorEnvelopes.DecodeReversalSummary(b))),
            (OperatorEnvelopes.EncodeReversalSummary(null), b => OperatorEnvelopes.EncodeReversalSummary(OperatorEnvelopes.DecodeReversalSummary(b))),
            (OperatorEnvelopes.EncodePayrollBatch([new PayrollLine(new AccountId("employer-1"), new IdempotencyKey("2026-11/7"), ContributionSource.Employer, wallet.Account, Amount.FromMinorUnits(1000)), new PayrollLine(new AccountId("e"), new IdempotencyKey("x"), ContributionSource.State, new AccountId("w2"), Amount.Zero)]), b => OperatorEnvelopes.EncodePayrollBatch(OperatorEnvelopes.DecodePayrollBatch(b))),
            (OperatorEnvelopes.EncodePayrollResults([new PayrollLineResult(PayrollLineStatus.Applied, true), new PayrollLineResult(PayrollLineStatus.UnknownAccount, false)]), b => OperatorEnvelopes.EncodePayrollResults(OperatorEnvelopes.DecodePayrollResults(b))),
            (OperatorEnvelopes.EncodePayrollResults([]), b => OperatorEnvelopes.EncodePayrollResults(OperatorEnvelopes.DecodePayrollResults(b))),
        };

        EnvelopeAssert.RoundTripsAndRefusesDamage(cases);

        Assert.Equal(LedgerAccount.DefaultPool, OperatorEnvelopes.DecodeLedgerAccount(OperatorEnvelopes.EncodeLedgerAccount(LedgerAccount.DefaultPool)));
        Assert.Equal(problems.Problems, OperatorEnvelopes.DecodeLedgerVerification(OperatorEnvelopes.EncodeLedgerVerification(problems)).Problems);

        // A log record of another kind than the operation logs is not accepted as its answer.
        Assert.Throws<ProtocolFormatException>(() => OperatorEnvelopes.DecodeLogRecord(OperatorEnvelopes.EncodeLogRecord(LogEntry.ForExpiry(expiry!)), LogEntryKind.DefaultAllocated));
    }

    [Fact]
    public void RandomGarbageOnlyEverRaisesTheFormatError()
    {
        var decoders = new Action<byte[]>[]
        {
            b => OperatorEnvelopes.DecodeAck(b), b => OperatorEnvelopes.DecodeSchemeKey(b), b => OperatorEnvelopes.DecodeAccountKey(b),
            b => OperatorEnvelopes.DecodeContribution(b), b => OperatorEnvelopes.DecodeNamedContribution(b), b => OperatorEnvelopes.DecodeContributionResult(b), b => OperatorEnvelopes.DecodeKeysetRequest(b),
            b => OperatorEnvelopes.DecodeKeyset(b), b => OperatorEnvelopes.DecodePublished(b), b => OperatorEnvelopes.DecodeKeysetId(b),
            b => OperatorEnvelopes.DecodeLogRecord(b, LogEntryKind.DefaultAllocated), b => OperatorEnvelopes.DecodeAllocationRound(b),
            b => OperatorEnvelopes.DecodeLedgerAccount(b), b => OperatorEnvelopes.DecodeBalance(b), b => OperatorEnvelopes.DecodeKeysetTotals(b), b => OperatorEnvelopes.DecodeReversalSummary(b),
            b => OperatorEnvelopes.DecodeLedgerVerification(b), b => OperatorEnvelopes.DecodePayrollBatch(b), b => OperatorEnvelopes.DecodePayrollResults(b),
        };
        EnvelopeAssert.GarbageRaisesOnlyTheFormatError(decoders, 11, 200);
    }

    private static byte[] Reencode((AccountId Account, Ed25519PublicKey Key) v) => OperatorEnvelopes.EncodeAccountKey(v.Account, v.Key);

    private static byte[] Reencode((IdempotencyKey Key, ContributionSource Source, AccountId Worker, Amount Amount) v) => OperatorEnvelopes.EncodeContribution(v.Key, v.Source, v.Worker, v.Amount);

    private static byte[] ReencodeNamed((IdempotencyKey Key, AccountId? Contributor, ContributionSource Source, AccountId Worker, Amount Amount) v) => OperatorEnvelopes.EncodeContribution(v.Key, v.Contributor, v.Source, v.Worker, v.Amount);

    private static byte[] Reencode((IdempotencyKey Key, KeysetParameters Parameters) v) => OperatorEnvelopes.EncodeKeysetRequest(v.Key, v.Parameters);

    private static byte[] Reencode((string Round, DefaultAllocationInput[] Workers) v) => OperatorEnvelopes.EncodeAllocationRound(v.Round, v.Workers);
}
