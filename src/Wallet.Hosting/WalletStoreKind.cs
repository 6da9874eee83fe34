namespace Wallet.Hosting;

/// <summary>Where the scheme keeps its ledger, state and transparency log.</summary>
public enum WalletStoreKind
{
    /// <summary>Process memory: tests and demonstrations only, everything is lost at exit.</summary>
    InMemory = 0,

    /// <summary>SQLite files in <see cref="WalletSchemeOptions.SqliteDirectory"/>: the embedded default.</summary>
    Sqlite = 1,

    /// <summary>The ledger in PostgreSQL (<see cref="WalletSchemeOptions.PostgresConnectionString"/>); scheme state and log in SQLite files in <see cref="WalletSchemeOptions.SqliteDirectory"/>.</summary>
    Postgres = 2,
}
