using Wallet.Protocol.Ledger;

namespace Scheme.Server.FaultInjection;

/// <summary>
/// The ledger store, dying at <see cref="CrashPoint.AfterDebit"/> once a write transaction that appended a withdrawal,
/// deposit or swap entry is committed (operator entries, contributions and expiries pass).
/// </summary>
internal sealed class CrashingLedgerStore(ILedgerStore inner, CrashPoint crash) : ILedgerStore
{
    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken) =>
        new CrashingWriteTransaction(await inner.BeginWriteAsync(cancellationToken).ConfigureAwait(false), crash);

    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

    private sealed class CrashingWriteTransaction(ILedgerWriteTransaction inner, CrashPoint crash) : DelegatingLedgerWriteTransaction(inner)
    {
        private EntryKind? _flowEntry;

        public override ValueTask AppendAsync(JournalEntry entry, CancellationToken cancellationToken)
        {
            if (entry?.Kind is EntryKind.Withdrawal or EntryKind.Deposit or EntryKind.Swap)
            {
                _flowEntry = entry.Kind;
            }

            return Inner.AppendAsync(entry!, cancellationToken);
        }

        public override async ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            await Inner.CommitAsync(cancellationToken).ConfigureAwait(false);
            if (_flowEntry is { } kind)
            {
                crash.Reached(CrashPoint.AfterDebit, kind.ToString().ToLowerInvariant(), "its ledger entry committed");
            }
        }
    }
}
