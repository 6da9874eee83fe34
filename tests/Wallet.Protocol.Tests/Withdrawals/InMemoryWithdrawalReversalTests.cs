using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Withdrawals;

/// <summary>The cases of <see cref="WithdrawalReversalContract"/> on the in-memory stores.</summary>
public sealed class InMemoryWithdrawalReversalTests : WithdrawalReversalContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync() =>
        ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());

    [Fact]
    public async Task AFreshDebitReversedBeforeItsIssuanceIsLoggedIsAnsweredReversedNotIssued()
    {
        // The race the check under the gate closes: the debit commits, then (before the handler takes the gate to log
        // the issuance) the operator revokes the keyset and reverses the debit. The signatures made meanwhile must not go out.
        var store = new AfterWithdrawalStore(new InMemoryLedgerStore());
        using var world = await ProtocolWorld.CreateAsync(store, new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var (wallet, _) = await world.NewWalletAsync("w-race", 300);
        var request = wallet.PrepareWithdrawal(new IdempotencyKey("race-1"), [world.General100.Id]);
        Wallet.Protocol.Operators.WithdrawalReversalSummary? summary = null;
        store.Once = async () =>
        {
            Assert.True(await world.Scheme.RevokeKeysetAsync(world.General100.Id));
            summary = await world.Scheme.ReverseUnissuedWithdrawalsAsync(world.General100.Id);
        };

        var result = await world.Scheme.WithdrawAsync(request);

        Assert.Equal(1, summary!.Withdrawals);
        Assert.Equal(WithdrawalStatus.Reversed, result.Status);
        Assert.Null(result.Response);
        Assert.True(result.Reversal!.Verify(request, world.SchemeKey.PublicKey));
        Assert.Equal(300, await world.Ledger.GetBalanceAsync(LedgerAccount.Worker(request.Account)));
        var head = await world.Scheme.GetTreeHeadAsync();
        var last = await world.Scheme.GetLogEntryAsync(head.TreeSize - 1);
        Assert.Equal(Wallet.Protocol.Log.LogEntryKind.WithdrawalReversed, last!.Kind);
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
    }

    /// <summary>Runs <see cref="Once"/> once, right after the first write transaction that appended a withdrawal is disposed.</summary>
    private sealed class AfterWithdrawalStore(ILedgerStore inner) : ILedgerStore
    {
        public Func<Task>? Once { get; set; }

        public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken) =>
            new Transaction(await inner.BeginWriteAsync(cancellationToken), this);

        public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

        private sealed class Transaction(ILedgerWriteTransaction tx, AfterWithdrawalStore owner) : DelegatingLedgerWriteTransaction(tx)
        {
            private bool _withdrawal;

            public override ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
            {
                _withdrawal |= entry.Kind == EntryKind.Withdrawal;
                return base.AppendAsync(entry, cancellationToken);
            }

            public override async ValueTask DisposeAsync()
            {
                await base.DisposeAsync();
                if (_withdrawal && owner.Once is { } once)
                {
                    owner.Once = null;
                    await once();
                }
            }
        }
    }
}
