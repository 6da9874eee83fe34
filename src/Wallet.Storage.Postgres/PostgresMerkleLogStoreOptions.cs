namespace Wallet.Storage.Postgres;

/// <summary>Options of <c>AddWalletPostgresMerkleLogStore</c>: the log's database. Validated when the host starts.</summary>
public sealed class PostgresMerkleLogStoreOptions
{
    /// <summary>The Npgsql connection string of the Merkle log; <c>Search Path</c> selects the schema. Required; never logged.</summary>
    public string? ConnectionString { get; set; }
}
