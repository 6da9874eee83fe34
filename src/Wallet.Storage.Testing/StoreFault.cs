namespace Wallet.Storage.Testing;

/// <summary>
/// Where the next write transaction fails when the ledger contract wraps the store under test in its fault-injecting
/// decorator: the argument of <c>LedgerStoreContract</c>'s fault theories, which a store's test class never needs to pass.
/// </summary>
public enum StoreFault
{
    /// <summary>No fault: the next write goes through.</summary>
    None,

    /// <summary>The entry is never written: the store throws while appending it.</summary>
    OnAppend,

    /// <summary>Everything is written but the commit throws without committing.</summary>
    BeforeCommit,

    /// <summary>The commit completes, then the store throws: the caller never sees the response.</summary>
    AfterCommit,
}
