using Wallet.Crypto.Signing;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Statements;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Tests.Statements;

/// <summary>The statement messages' own rules (docs/PROTOCOL.md 5.23): what they refuse to sign, decode or match.</summary>
public sealed class StatementMessageTests
{
    private static readonly AccountId Worker = new("worker-1");
    private static readonly DateTimeOffset Jan = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public void RequestRefusesAnEmptyPeriodAnUnknownPurposeAndNulls()
    {
        using var key = Ed25519SigningKey.Generate();
        Assert.Throws<ArgumentOutOfRangeException>("to", () => StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan, Jan, key));
        Assert.Throws<ArgumentOutOfRangeException>("to", () => StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddMilliseconds(900), Jan, key));
        Assert.Throws<ArgumentOutOfRangeException>("to", () => StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, DateTimeOffset.UnixEpoch.AddDays(-1), Jan, Jan, key));
        Assert.Throws<ArgumentOutOfRangeException>("purpose", () => StatementRequest.Sign(Worker, (StatementRequestPurpose)9, Jan, Jan.AddDays(1), Jan, key));
        Assert.Throws<ArgumentNullException>("account", () => StatementRequest.Sign(null!, StatementRequestPurpose.Statement, Jan, Jan.AddDays(1), Jan, key));
        Assert.Throws<ArgumentNullException>("accountKey", () => StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddDays(1), Jan, null!));
    }

    [Fact]
    public void TwoRequestsForTheSamePeriodDifferAndOnlyTheirKeyVerifiesThem()
    {
        using var key = Ed25519SigningKey.Generate();
        using var other = Ed25519SigningKey.Generate();
        var a = StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddDays(31), Jan, key);
        var b = StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddDays(31), Jan, key);

        Assert.NotEqual(a.Hash(), b.Hash());
        Assert.True(a.Verify(key.PublicKey));
        Assert.False(a.Verify(other.PublicKey));
        Assert.DoesNotContain(Convert.ToHexStringLower(a.Nonce), a.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void StatementAnswersOnlyItsRequestAndRefusesAnotherAccountsLines()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var account = Ed25519SigningKey.Generate();
        var request = StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddDays(31), Jan, account);
        var sibling = StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddDays(31), Jan, account);
        var line = new StatementContribution(Record("k", Worker, 10), 1);
        var statement = WorkerStatement.Sign(request, Jan, [new FundBalance(KeysetDescriptor.GeneralFund, Amount.FromMinorUnits(10))], [line], [], scheme);

        Assert.True(statement.Verify(request, scheme.PublicKey));
        Assert.False(statement.Verify(sibling, scheme.PublicKey));
        Assert.False(statement.Verify(request, account.PublicKey));
        Assert.Equal(Amount.Zero, statement.BalanceOf("training"));
        Assert.Throws<ArgumentException>("contributions", () => WorkerStatement.Sign(request, Jan, [], [new StatementContribution(Record("k", new AccountId("worker-2"), 10), 1)], [], scheme));
        Assert.Throws<ArgumentException>("contributions", () => WorkerStatement.Sign(request, Jan, [], [line, line], [], scheme));
        Assert.Throws<ArgumentException>("contributions", () => WorkerStatement.Sign(request, Jan, [new FundBalance("general", Amount.Zero), new FundBalance("general", Amount.Zero)], [], [], scheme));
    }

    [Fact]
    public void ReceiptRecordedAtAnHourThatIsNotMidnightIsRefused()
    {
        using var scheme = Ed25519SigningKey.Generate();
        var receipt = ContributionReceipt.Sign(Record("k", Worker, 10), 3, scheme);
        byte[] encoded = receipt.Encode();
        // recorded_at is the 8 bytes before the ledger sequence and the signature.
        int at = encoded.Length - 64 - 8 - 8;
        encoded[at + 7] ^= 1;

        Assert.Throws<ProtocolFormatException>(() => ContributionReceipt.Decode(encoded));
        Assert.Throws<ArgumentOutOfRangeException>(() => ContributionReceipt.Sign(Record("k", Worker, 10), 0, scheme));
        Assert.Equal(receipt.Encode(), ContributionReceipt.Sign(Record("k", Worker, 10), 3, scheme).Encode());
    }

    [Fact]
    public async Task RecordMatchesOnlyTheEntryThatCreditedItsWorkerFromItsSourceByItsAmount()
    {
        var ledger = new SchemeLedger(new InMemoryLedgerStore(), TimeProvider.System);
        var record = Record("k", Worker, 10);
        var entry = (await ledger.ContributeAsync(record.LedgerKey, ContributionSource.Employer, Worker, Amount.FromMinorUnits(10))).Entry!;
        var levy = (await ledger.ContributeAsync(new IdempotencyKey("levy"), ContributionSource.Levy, Worker, Amount.FromMinorUnits(10))).Entry!;
        var otherWorker = (await ledger.ContributeAsync(new IdempotencyKey("k2"), ContributionSource.Employer, new AccountId("worker-2"), Amount.FromMinorUnits(10))).Entry!;

        Assert.True(record.IsRecordedBy(entry));
        Assert.False((record with { }).IsRecordedBy(levy));
        Assert.False(Record("k", Worker, 11).IsRecordedBy(entry));
        Assert.False(Record("k2", Worker, 10).IsRecordedBy(otherWorker));
        Assert.False(Record("other-key", Worker, 10).IsRecordedBy(entry));
        Assert.Throws<ArgumentOutOfRangeException>("amount", () => Record("k", Worker, 0));
        Assert.Throws<ArgumentOutOfRangeException>("source", () => new ContributionRecord(new IdempotencyKey("k"), Worker, (ContributionSource)9, null, "general", Amount.FromMinorUnits(1), Jan));
        Assert.Throws<ArgumentException>("fund", () => new ContributionRecord(new IdempotencyKey("k"), Worker, ContributionSource.Levy, null, "not a token", Amount.FromMinorUnits(1), Jan));
    }

    [Fact]
    public void ReconciliationRefusesAForgedReceiptAndReportsWhatDiffers()
    {
        using var scheme = Ed25519SigningKey.Generate();
        using var forger = Ed25519SigningKey.Generate();
        using var account = Ed25519SigningKey.Generate();
        var ask = StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddDays(31), Jan, account);
        var askReceipts = StatementRequest.Sign(Worker, StatementRequestPurpose.Receipts, Jan, Jan.AddDays(31), Jan, account);
        var a = Record("a", Worker, 10);
        var b = Record("b", Worker, 20);
        var statement = WorkerStatement.Sign(ask, Jan, [], [new StatementContribution(a, 1), new StatementContribution(b, 2)], [], scheme);
        var receiptA = ContributionReceipt.Sign(a, 1, scheme);

        var forged = StatementReconciliation.Reconcile(ask, statement, askReceipts, [receiptA, ContributionReceipt.Sign(b, 2, forger)], scheme.PublicKey);
        var wrongSequence = StatementReconciliation.Reconcile(ask, statement, askReceipts, [receiptA, ContributionReceipt.Sign(b, 7, scheme)], scheme.PublicKey);
        var missing = StatementReconciliation.Reconcile(ask, statement, askReceipts, [receiptA], scheme.PublicKey);
        var others = StatementReconciliation.Reconcile(ask, statement, askReceipts, [receiptA, ContributionReceipt.Sign(Record("b", new AccountId("worker-2"), 20), 2, scheme)], scheme.PublicKey);

        Assert.Equal(ReconciliationStatus.InvalidReceipt, forged.Status);
        Assert.Equal(ReconciliationStatus.InvalidReceipt, others.Status);
        Assert.Equal((ReconciliationStatus.Mismatch, "b"), (wrongSequence.Status, Assert.Single(wrongSequence.UnlistedReceipts).Value));
        Assert.Equal((ReconciliationStatus.Mismatch, "b"), (missing.Status, Assert.Single(missing.MissingReceipts).Value));
        Assert.Equal(ReconciliationStatus.InvalidStatement, StatementReconciliation.Reconcile(askReceipts, statement, askReceipts, [], scheme.PublicKey).Status);
        Assert.True(StatementReconciliation.Reconcile(ask, statement, askReceipts, [receiptA, ContributionReceipt.Sign(b, 2, scheme)], scheme.PublicKey).IsReconciled);
    }

    [Fact]
    public void ReplayMemoryForgetsExpiredRequestsAndIsBusyWhenFull()
    {
        using var key = Ed25519SigningKey.Generate();
        var replays = new StatementReplays(capacity: 2);
        var first = StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddDays(1), Jan, key);
        var second = StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddDays(1), Jan, key);
        var third = StatementRequest.Sign(Worker, StatementRequestPurpose.Statement, Jan, Jan.AddDays(1), Jan, key);

        Assert.Equal(StatementStatus.Answered, replays.TryAccept(first, Jan));
        Assert.Equal(StatementStatus.Replayed, replays.TryAccept(first, Jan));
        Assert.Equal(StatementStatus.Answered, replays.TryAccept(second, Jan));
        Assert.Equal(StatementStatus.Busy, replays.TryAccept(third, Jan));
        Assert.Equal(StatementStatus.Answered, replays.TryAccept(third, Jan + StatementRequest.MaxClockSkew + TimeSpan.FromSeconds(1)));
    }

    private static ContributionRecord Record(string key, AccountId worker, long amount) =>
        new(new IdempotencyKey(key), worker, ContributionSource.Employer, new AccountId("employer-a"), KeysetDescriptor.GeneralFund, Amount.FromMinorUnits(amount), Jan.AddHours(9));
}
