namespace Wallet.Protocol.Tests.Ledger;

/// <summary>Where the next write transaction fails.</summary>
public enum StoreFault
{
    None,

    /// <summary>The entry is never written: the store throws while appending it.</summary>
    OnAppend,

    /// <summary>Everything is written but the commit throws without committing.</summary>
    BeforeCommit,

    /// <summary>The commit completes, then the store throws: the caller never sees the response.</summary>
    AfterCommit,
}
