namespace Wallet.Storage.Sqlite;

/// <summary>Options of <c>AddWalletSqliteProviderStore</c>: where the provider's SQLite file lives. Validated when the host starts.</summary>
public sealed class SqliteProviderStoreOptions
{
    /// <summary>The provider store's database file; created (0600, in a 0700 directory when the directory is missing) on first use. Required.</summary>
    public string? Path { get; set; }
}
