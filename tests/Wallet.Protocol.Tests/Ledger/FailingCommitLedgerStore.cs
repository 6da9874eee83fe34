using Wallet.Protocol.Ledger;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// A ledger store whose next commit fails, when asked, with <see cref="LedgerStoreException"/> (as a full disk would)
/// before the inner store commits: what a scheme operation wrote before it must go with it. Used by the database suites
/// of the SQLite and PostgreSQL stores.
/// </summary>
public sealed class FailingCommitLedgerStore(ILedgerStore inner) : ILedgerStore
{
    /// <summary>Whether the next commit fails; reset when it does.</summary>
    public bool FailNextCommit { get; set; }

    /// <inheritdoc/>
    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken) =>
        new Transaction(await inner.BeginWriteAsync(cancellationToken), this);

    /// <inheritdoc/>
    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) => inner.BeginReadAsync(cancellationToken);

    private sealed class Transaction(ILedgerWriteTransaction tx, FailingCommitLedgerStore owner) : DelegatingLedgerWriteTransaction(tx)
    {
        public override ValueTask CommitAsync(CancellationToken cancellationToken)
        {
            if (owner.FailNextCommit)
            {
                owner.FailNextCommit = false;
                throw new LedgerStoreException("The disk is full (test).");
            }

            return base.CommitAsync(cancellationToken);
        }
    }
}
