using Wallet.Crypto.Signing;

namespace Wallet.Hosting;

/// <summary>Options of <c>AddWalletScheme</c>: the scheme's keys and where its data lives. Validated when the host starts.</summary>
public sealed class WalletSchemeOptions
{
    /// <summary>The scheme's Ed25519 signing key (announcements, receipts, tree heads). Not owned: the caller loads and disposes it.</summary>
    public Ed25519SigningKey? SchemeKey { get; set; }

    /// <summary>The accreditation body's public key, which signs the provider registry.</summary>
    public Ed25519PublicKey? AccreditationKey { get; set; }

    /// <summary>The store; <see cref="WalletStoreKind.Sqlite"/> by default.</summary>
    public WalletStoreKind Store { get; set; } = WalletStoreKind.Sqlite;

    /// <summary>Directory of the SQLite files (ledger.db, scheme.db, log.db); created when missing. Required for SQLite and PostgreSQL.</summary>
    public string? SqliteDirectory { get; set; }

    /// <summary>The PostgreSQL connection string of the ledger; required for <see cref="WalletStoreKind.Postgres"/>. Never logged.</summary>
    public string? PostgresConnectionString { get; set; }
}
