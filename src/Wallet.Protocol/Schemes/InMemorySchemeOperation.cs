namespace Wallet.Protocol.Schemes;

/// <summary>
/// One running operation of an <see cref="InMemorySchemeDatabase"/>: the working copies its flow writes to and reads
/// from, which become the committed state when it returns and are dropped when it throws.
/// </summary>
/// <param name="database">The database it runs in.</param>
/// <param name="start">The committed state when it started, which no one else can change while it runs.</param>
internal sealed class InMemorySchemeOperation(InMemorySchemeDatabase database, InMemorySchemeDatabase.Committed start)
{
    /// <summary>The database it runs in.</summary>
    public InMemorySchemeDatabase Database { get; } = database;

    /// <summary>The committed state when it started.</summary>
    public InMemorySchemeDatabase.Committed Start { get; } = start;

    /// <summary>Whether it still runs: a flow it started that outlives it goes back to the committed state.</summary>
    public bool Active { get; set; } = true;

    /// <summary>Its working ledger: a fork of the committed one, which it becomes at commit.</summary>
    public InMemoryLedgerStore Ledger { get; } = start.Ledger.Fork();

    /// <summary>Its copy of the scheme store, taken at its first scheme write; null while it has written none.</summary>
    public InMemorySchemeStore? Scheme { get; private set; }

    /// <summary>Its Merkle log: the committed one, with the nodes it appended held aside.</summary>
    public InMemoryOperationLog Log { get; } = new(database.CommittedLog, start.LeafCount);

    /// <summary>The scheme store its reads use: its copy once it has one, else the committed store (unchanged while it runs).</summary>
    public InMemorySchemeStore SchemeToRead => Scheme ?? Start.Scheme;

    /// <summary>The scheme store its writes go to: its copy, taken now if it has none yet.</summary>
    public InMemorySchemeStore SchemeToWrite => Scheme ??= Start.Scheme.Clone();
}
