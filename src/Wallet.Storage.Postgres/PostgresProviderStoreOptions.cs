namespace Wallet.Storage.Postgres;

/// <summary>Options of <c>AddWalletPostgresProviderStore</c>: the provider's database. Validated when the host starts.</summary>
public sealed class PostgresProviderStoreOptions
{
    /// <summary>The Npgsql connection string of the provider's state; <c>Search Path</c> selects the schema. Required; never logged.</summary>
    public string? ConnectionString { get; set; }
}
