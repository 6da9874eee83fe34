namespace Wallet.Protocol.Registry;

/// <summary>
/// How a default-allocation table splits a balance whose profile holds several jobs (docs/PROTOCOL.md 5.24). The
/// accreditation body signs it with the table, so the scheme and every reader of the log compute the same split.
/// </summary>
public enum SeveralJobsRule : byte
{
    /// <summary>
    /// The rule of a version 1 table, which signed none: the first job in canonical (sector, region) order takes the
    /// whole balance, as when a profile held one job.
    /// </summary>
    FirstJob = 0,

    /// <summary>Equal parts per job; the minor-unit remainder goes to the first job in canonical order.</summary>
    EqualSplit = 1,

    /// <summary>Parts in proportion to the jobs' weights (rounded down); the remainder goes to the first job in canonical order.</summary>
    ProRata = 2,
}
