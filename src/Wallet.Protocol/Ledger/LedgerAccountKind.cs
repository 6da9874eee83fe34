namespace Wallet.Protocol.Ledger;

/// <summary>The kinds of account in the scheme's double-entry ledger.</summary>
/// <remarks>
/// DESIGN.md section 4. Contribution sources are the only accounts whose balance goes negative: they are
/// where money enters the books, so their (negative) balances mirror the value held everywhere else.
/// </remarks>
public enum LedgerAccountKind : byte
{
    /// <summary>Where contributions come from (employer, worker payroll, levy, state); keyed by <see cref="ContributionSource"/>.</summary>
    ContributionSource = 1,

    /// <summary>A worker's spendable, not yet withdrawn balance; keyed by the worker's <see cref="AccountId"/>.</summary>
    Worker = 2,

    /// <summary>Value issued as coins of one keyset and not yet deposited, swapped or expired; keyed by <see cref="KeysetId"/>.</summary>
    Outstanding = 3,

    /// <summary>What the scheme owes an accredited provider; keyed by the provider's <see cref="AccountId"/>.</summary>
    ProviderPayable = 4,

    /// <summary>Value allocated by the default rule where no default provider applies; a single account.</summary>
    DefaultPool = 5,

    /// <summary>Value of coins that expired unspent, awaiting default allocation; a single account.</summary>
    Expired = 6,

    /// <summary>
    /// What has been paid out of the scheme to one provider, cumulatively; keyed by the provider's <see cref="AccountId"/>.
    /// Where money leaves the books, as contribution sources are where it enters: only ever credited, by payouts.
    /// </summary>
    Payouts = 7,

    /// <summary>
    /// A worker's spendable, not yet withdrawn balance in one restricted fund (docs/PROTOCOL.md section 5.22); keyed by
    /// <c>account/fund</c>. The general fund's sub-balance is the <see cref="Worker"/> account.
    /// </summary>
    WorkerFund = 8,
}
