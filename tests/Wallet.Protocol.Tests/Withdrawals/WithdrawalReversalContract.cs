using Wallet.Protocol.Audit;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Withdrawals;
using WalletsCompletion = Wallet.Protocol.Wallets.WithdrawalCompletion;

namespace Wallet.Protocol.Tests.Withdrawals;

/// <summary>
/// docs/PROTOCOL.md 5.3: a withdrawal debited under a keyset whose key can never sign again (revoked) is returned to the
/// worker by the operator's reversal, logged without the account, and a retry of it gets the scheme's signed answer;
/// issued withdrawals are never reversed and a reversed one is never issued. In memory here
/// (<see cref="InMemoryWithdrawalReversalTests"/>); the SQLite suite runs it on real files.
/// </summary>
public abstract class WithdrawalReversalContract
{
    protected abstract Task<ProtocolWorld> CreateWorldAsync();

    [Fact]
    public async Task DebitOfARevokedKeysetIsReturnedLoggedAndAnsweredAndExpiryStillReconciles()
    {
        using var world = await CreateWorldAsync();
        var keyset = world.General100;
        var (wallet, _) = await world.NewWalletAsync("w-reversal", 400);
        var issued = wallet.PrepareWithdrawal(new IdempotencyKey("issued-1"), [keyset.Id]);
        Assert.Equal(WithdrawalStatus.Issued, (await world.Scheme.WithdrawAsync(issued)).Status);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("lost-1"), [keyset.Id, keyset.Id]);
        await CommitDebitOnlyAsync(world, request);

        // The key can never sign again: the paid withdrawal cannot be issued, and without a reversal it stays debited.
        Assert.True(await world.Scheme.RevokeKeysetAsync(keyset.Id));
        Assert.Equal(WithdrawalStatus.SigningKeyUnavailable, (await world.Scheme.WithdrawAsync(WithdrawalRequest.Decode(request.Encode()))).Status);
        Assert.Equal(100, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));
        ulong logBefore = (await world.Scheme.GetTreeHeadAsync()).TreeSize;

        var summary = await world.Scheme.ReverseUnissuedWithdrawalsAsync(keyset.Id);

        Assert.Equal(new Wallet.Protocol.Operators.WithdrawalReversalSummary(keyset.Id, 1, Amount.FromMinorUnits(200)), summary);
        Assert.Equal(300, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));
        var totals = await world.Ledger.GetKeysetAsync(keyset.Id);
        Assert.Equal((Amount.FromMinorUnits(300), Amount.FromMinorUnits(200)), (totals.Issued, totals.Reversed));
        var entries = await LogAsync(world);
        Assert.Equal(logBefore + 1, (ulong)entries.Count);
        var logged = entries[^1];
        Assert.Equal(LogEntryKind.WithdrawalReversed, logged.Kind);
        Assert.Equal((keyset.Id, 2), Assert.Single(logged.Reversal!.Counts));
        Assert.DoesNotContain(request.Account.Value, System.Text.Encoding.ASCII.GetString(logged.Encode()), StringComparison.Ordinal);

        // The wallet's retry gets the signed answer and drops the pending withdrawal.
        var retried = await world.Scheme.WithdrawAsync(WithdrawalRequest.Decode(request.Encode()));
        Assert.Equal(WithdrawalStatus.Reversed, retried.Status);
        Assert.Null(retried.Response);
        Assert.True(retried.Reversal!.Verify(request, world.SchemeKey.PublicKey));
        Assert.Equal(Amount.FromMinorUnits(200), retried.Reversal.Total);
        Assert.False(retried.Reversal.Verify(issued, world.SchemeKey.PublicKey));
        Assert.Equal(WalletsCompletion.Completed, wallet.CompleteReversedWithdrawal(request, retried.Reversal));
        Assert.DoesNotContain(wallet.PendingWithdrawals, p => p.IdempotencyKey == request.IdempotencyKey);

        // Again: nothing moves and nothing more is logged; the issued withdrawal still replays its coins.
        Assert.Equal(summary, await world.Scheme.ReverseUnissuedWithdrawalsAsync(keyset.Id));
        Assert.Equal(300, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));
        Assert.Equal(entries.Count, (await LogAsync(world)).Count);
        Assert.Equal(WithdrawalStatus.Issued, (await world.Scheme.WithdrawAsync(issued)).Status);

        // The log reconciles with the ledger: coins issued in the log = (ledger issued − reversed) / denomination.
        var report = await AuditAsync(world);
        var audit = report.Keysets.Single(k => k.Keyset == keyset.Id);
        Assert.Equal((1L, 2L), (audit.Issued, audit.Reversed));
        Assert.Equal(totals.Issued.MinorUnits - totals.Reversed.MinorUnits, audit.Issued * keyset.Denomination.MinorUnits);
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);

        // Expiry takes exactly the issued coin still outstanding, and the audit agrees.
        world.Time.SetUtcNow(keyset.DepositUntil.AddDays(1));
        var expiry = await world.Scheme.ExpireKeysetAsync(keyset.Id);
        Assert.Equal(Amount.FromMinorUnits(100), expiry!.Value);
        await AuditAsync(world);
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task OnlyUnissuedWithdrawalsThatDebitedTheRevokedKeysetAreReversedWhateverElseTheJournalHolds()
    {
        using var world = await CreateWorldAsync();
        var revoked = world.General100;
        var (wallet, _) = await world.NewWalletAsync("w-selection", 2000);

        // The journal also holds a deposit of the revoked keyset's coin: it moved value out of that outstanding account
        // too, but it is no withdrawal and has no worker to return anything to.
        await world.WithdrawAsync(wallet, "issued-1", revoked);
        await world.PayAsync(wallet, world.UnionA, 100);
        await world.DepositAsync(world.UnionA, "deposit-1");

        // A lost withdrawal of both keysets is returned whole; one of the other keyset alone is not touched.
        var mixed = wallet.PrepareWithdrawal(new IdempotencyKey("lost-mixed"), [revoked.Id, world.General500.Id, revoked.Id]);
        await CommitDebitOnlyAsync(world, mixed);
        var other = wallet.PrepareWithdrawal(new IdempotencyKey("lost-other"), [world.General500.Id]);
        await CommitDebitOnlyAsync(world, other);
        Assert.Equal(2000 - 100 - 700 - 500, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(wallet.Account)));
        ulong logBefore = (await world.Scheme.GetTreeHeadAsync()).TreeSize;
        Assert.True(await world.Scheme.RevokeKeysetAsync(revoked.Id));

        var summary = await world.Scheme.ReverseUnissuedWithdrawalsAsync(revoked.Id);

        Assert.Equal(new Wallet.Protocol.Operators.WithdrawalReversalSummary(revoked.Id, 1, Amount.FromMinorUnits(700)), summary);
        Assert.Equal(2000 - 100 - 500, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(wallet.Account)));
        var entries = await LogAsync(world);
        Assert.Equal(logBefore + 1, (ulong)entries.Count);
        var counts = entries[^1].Reversal!.Counts.OrderBy(c => c.Keyset.ToString(), StringComparer.Ordinal).ToArray();
        Assert.Equal(new[] { (revoked.Id, 2), (world.General500.Id, 1) }.OrderBy(c => c.Item1.ToString(), StringComparer.Ordinal).ToArray(), counts);
        Assert.Equal(Amount.FromMinorUnits(200), (await world.Ledger.GetKeysetAsync(revoked.Id)).Reversed);
        Assert.Equal(Amount.FromMinorUnits(500), (await world.Ledger.GetKeysetAsync(world.General500.Id)).Reversed);

        // The other keyset's lost withdrawal is still owed its coins, and its key still signs them.
        Assert.Equal(WithdrawalStatus.Issued, (await world.Scheme.WithdrawAsync(WithdrawalRequest.Decode(other.Encode()))).Status);
        Assert.Equal(WithdrawalStatus.Reversed, (await world.Scheme.WithdrawAsync(WithdrawalRequest.Decode(mixed.Encode()))).Status);
        await AuditAsync(world);
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
    }

    [Fact]
    public async Task ReversalOfAKeysetNotRevokedIsRefusedAndMovesNothing()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("w-live", 300);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("lost-2"), [world.General100.Id]);
        await CommitDebitOnlyAsync(world, request);
        var head = await world.Ledger.GetHeadAsync();

        Assert.Null(await world.Scheme.ReverseUnissuedWithdrawalsAsync(world.General100.Id));
        Assert.Null(await world.Scheme.ReverseUnissuedWithdrawalsAsync(new KeysetId(new byte[32])));

        Assert.Equal(head, await world.Ledger.GetHeadAsync());
        var retried = await world.Scheme.WithdrawAsync(WithdrawalRequest.Decode(request.Encode()));
        Assert.Equal(WithdrawalStatus.Issued, retried.Status);
    }

    [Fact]
    public async Task AReversedDebitIsNeverIssuedEvenWithItsKeyLoaded()
    {
        // The reversal won (here made straight in the ledger): a retry must not hand out coins the worker got back.
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("w-raced", 300);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("lost-3"), [world.General100.Id]);
        var ledgerKey = await CommitDebitOnlyAsync(world, request);
        Assert.True((await world.Ledger.ReverseWithdrawalAsync(ledgerKey, request.Account, world.General100.Denomination)).Succeeded);
        ulong logSize = (await world.Scheme.GetTreeHeadAsync()).TreeSize;

        var retried = await world.Scheme.WithdrawAsync(WithdrawalRequest.Decode(request.Encode()));

        Assert.Equal(WithdrawalStatus.Reversed, retried.Status);
        Assert.True(retried.Reversal!.Verify(request, world.SchemeKey.PublicKey));
        Assert.Equal(logSize, (await world.Scheme.GetTreeHeadAsync()).TreeSize);
        Assert.Equal(300, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));
    }

    [Fact]
    public async Task AReversalReceiptForAnotherRequestOrSignerIsRejectedByTheWallet()
    {
        using var world = await CreateWorldAsync();
        var (wallet, _) = await world.NewWalletAsync("w-forged", 300);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("lost-4"), [world.General100.Id]);
        var other = wallet.PrepareWithdrawal(new IdempotencyKey("lost-5"), [world.General100.Id]);
        using var stranger = Crypto.Signing.Ed25519SigningKey.Generate();

        var forOther = WithdrawalReversalReceipt.Sign(other, world.General100.Denomination, world.Time.GetUtcNow(), world.SchemeKey);
        var bySomeoneElse = WithdrawalReversalReceipt.Sign(request, world.General100.Denomination, world.Time.GetUtcNow(), stranger);

        Assert.Equal(WalletsCompletion.BadReceipt, wallet.CompleteReversedWithdrawal(request, forOther));
        Assert.Equal(WalletsCompletion.BadReceipt, wallet.CompleteReversedWithdrawal(request, bySomeoneElse));
        Assert.Contains(wallet.PendingWithdrawals, p => p.IdempotencyKey == request.IdempotencyKey);
        var decoded = WithdrawalReversalReceipt.Decode(forOther.Encode());
        Assert.True(decoded.Verify(other, world.SchemeKey.PublicKey));
        Assert.Equal(WalletsCompletion.Completed, wallet.CompleteReversedWithdrawal(other, decoded));
    }

    // The crash point "after debit": the ledger committed the debit; nothing was signed, logged or stored.
    private static async Task<IdempotencyKey> CommitDebitOnlyAsync(ProtocolWorld world, WithdrawalRequest request)
    {
        var ledgerKey = SchemeContext.LedgerKey("w", request.Account.Value, request.IdempotencyKey);
        var coins = request.Items.Select(i => new KeysetAmount(i.Keyset, world.AllKeysets.Single(k => k.Id == i.Keyset).Denomination)).ToArray();
        Assert.Equal(LedgerStatus.Applied, (await world.Ledger.WithdrawAsync(ledgerKey, request.Account, coins)).Status);
        return ledgerKey;
    }

    private static async Task<List<LogEntry>> LogAsync(ProtocolWorld world)
    {
        var head = await world.Scheme.GetTreeHeadAsync();
        var entries = new List<LogEntry>();
        for (ulong i = 0; i < head.TreeSize; i++)
        {
            entries.Add((await world.Scheme.GetLogEntryAsync(i))!);
        }

        return entries;
    }

    private static async Task<AuditReport> AuditAsync(ProtocolWorld world)
    {
        var head = await world.Scheme.GetTreeHeadAsync();
        var report = new LogAuditor(world.Scheme.PublicKey, world.AccreditationKey.PublicKey).Audit(await LogAsync(world), [head]);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
        return report;
    }
}
