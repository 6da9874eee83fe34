namespace Wallet.Protocol.Schemes;

/// <summary>
/// The ledger of an <see cref="InMemorySchemeDatabase"/>: inside an operation, the operation's working ledger; outside
/// any, the committed ledger, a write transaction holding the database (waiting for the running operation to finish)
/// until it is disposed.
/// </summary>
/// <param name="database">The database.</param>
internal sealed class InMemoryDatabaseLedgerStore(InMemorySchemeDatabase database) : ILedgerStore
{
    /// <inheritdoc/>
    public async ValueTask<ILedgerWriteTransaction> BeginWriteAsync(CancellationToken cancellationToken)
    {
        if (database.Operation is { } operation)
        {
            return await operation.Ledger.BeginWriteAsync(cancellationToken).ConfigureAwait(false);
        }

        var ledger = await database.EnterForLedgerWriteAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            return new OutsideWrite(await ledger.BeginWriteAsync(cancellationToken).ConfigureAwait(false), database);
        }
        catch
        {
            database.ExitLedgerWrite();
            throw;
        }
    }

    /// <inheritdoc/>
    public ValueTask<ILedgerReadTransaction> BeginReadAsync(CancellationToken cancellationToken) =>
        (database.Operation?.Ledger ?? database.Current.Ledger).BeginReadAsync(cancellationToken);

    // A write transaction outside any operation: it holds the database from its start until it is disposed, so no
    // operation starts from a ledger it is about to change.
    private sealed class OutsideWrite(ILedgerWriteTransaction inner, InMemorySchemeDatabase database) : DelegatingLedgerWriteTransaction(inner)
    {
        private int _released;

        public override async ValueTask DisposeAsync()
        {
            try
            {
                await base.DisposeAsync().ConfigureAwait(false);
            }
            finally
            {
                if (Interlocked.Exchange(ref _released, 1) == 0)
                {
                    database.ExitLedgerWrite();
                }
            }
        }
    }
}
