namespace Wallet.Storage.Postgres;

/// <summary>
/// Options of <c>AddWalletPostgresKeysetKeyStore</c>: the database of the sealed keyset keys and the file of the
/// key-encryption key they are sealed under. Validated when the host starts.
/// </summary>
public sealed class PostgresKeysetKeyStoreOptions
{
    /// <summary>
    /// The Npgsql connection string; <c>Search Path</c> selects the schema. Required by the connection-string
    /// registration, ignored by the one over an injected data source; never logged.
    /// </summary>
    public string? ConnectionString { get; set; }

    /// <summary>
    /// The file holding the 32-byte key-encryption key, the same file content on every node that shares the database.
    /// Required. It is read once, when the store is first resolved, and never created: a node that made its own would
    /// seal keys no other node can open. Keep it off the database server and out of its backups (docs/operations.md).
    /// </summary>
    public string? KeyEncryptionKeyFile { get; set; }
}
