namespace Wallet.Storage.Testing;

/// <summary>
/// Stores that share one database and one transaction per scheme operation: what
/// <see cref="SchemeTransactionsContract.CreateAsync"/> returns.
/// </summary>
public sealed class SharedStores
{
    /// <summary>Names the stores and their transaction source.</summary>
    /// <param name="ledger">The ledger's store.</param>
    /// <param name="scheme">The scheme store.</param>
    /// <param name="log">The Merkle log's store.</param>
    /// <param name="transactions">The one transaction per operation that the three stores join.</param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public SharedStores(ILedgerStore ledger, ISchemeStore scheme, IMerkleLogStore log, ISchemeTransactions transactions)
    {
        ArgumentNullException.ThrowIfNull(ledger);
        ArgumentNullException.ThrowIfNull(scheme);
        ArgumentNullException.ThrowIfNull(log);
        ArgumentNullException.ThrowIfNull(transactions);
        (Ledger, Scheme, Log, Transactions) = (ledger, scheme, log, transactions);
    }

    /// <summary>The ledger's store.</summary>
    public ILedgerStore Ledger { get; }

    /// <summary>The scheme store.</summary>
    public ISchemeStore Scheme { get; }

    /// <summary>The Merkle log's store.</summary>
    public IMerkleLogStore Log { get; }

    /// <summary>The one transaction per operation that the three stores join.</summary>
    public ISchemeTransactions Transactions { get; }
}
