namespace Wallet.Protocol.Operators;

/// <summary>The outcome of a contribution made through <see cref="Roles.ISchemeOperator"/>: the ledger's status, and whether it was a replay.</summary>
/// <param name="Status">The ledger status; <see cref="LedgerStatus.Applied"/> when the account was credited (now or by an earlier attempt).</param>
/// <param name="IsReplay">True when an earlier request with the same idempotency key had already credited the account.</param>
public sealed record ContributionResult(LedgerStatus Status, bool IsReplay)
{
    /// <summary>Whether the account was credited.</summary>
    public bool Succeeded => Status == LedgerStatus.Applied;
}
