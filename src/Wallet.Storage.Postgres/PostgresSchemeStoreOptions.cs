namespace Wallet.Storage.Postgres;

/// <summary>Options of <c>AddWalletPostgresSchemeStore</c>: the scheme state's database. Validated when the host starts.</summary>
public sealed class PostgresSchemeStoreOptions
{
    /// <summary>
    /// The Npgsql connection string of the scheme state; <c>Search Path</c> selects the schema. It may name the ledger's
    /// database and schema: the scheme store's tables are all named <c>scheme_*</c>. Required; never logged.
    /// </summary>
    public string? ConnectionString { get; set; }
}
