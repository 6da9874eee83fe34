namespace Wallet.Storage.Postgres.Ledger;

/// <summary>What <see cref="PostgresLedgerStore.ArchiveKeysetAsync"/> did.</summary>
public enum KeysetArchiveStatus
{
    /// <summary>The keyset's spent-coin partition was detached; it remains a plain table for audit, export or dropping.</summary>
    Archived = 1,

    /// <summary>The partition had already been detached; nothing changed.</summary>
    AlreadyArchived = 2,

    /// <summary>The keyset is not expired in the ledger, so its coins may still be deposited; nothing changed.</summary>
    NotExpired = 3,

    /// <summary>The ledger has never mentioned the keyset; nothing changed.</summary>
    UnknownKeyset = 4,
}
