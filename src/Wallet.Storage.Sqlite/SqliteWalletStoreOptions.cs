namespace Wallet.Storage.Sqlite;

/// <summary>Options of <c>AddWalletSqliteStores</c>: where the scheme's SQLite files live. Validated when the host starts.</summary>
public sealed class SqliteWalletStoreOptions
{
    /// <summary>Directory of the SQLite files (ledger.db, scheme.db, log.db); created when missing. Required.</summary>
    public string? Directory { get; set; }
}
