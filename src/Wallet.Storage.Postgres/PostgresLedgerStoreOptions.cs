namespace Wallet.Storage.Postgres;

/// <summary>Options of <c>AddWalletPostgresLedgerStore</c>: the ledger's database. Validated when the host starts.</summary>
public sealed class PostgresLedgerStoreOptions
{
    /// <summary>The Npgsql connection string of the ledger; <c>Search Path</c> selects the schema. Required; never logged.</summary>
    public string? ConnectionString { get; set; }
}
