using PortableBenefits.Linkage.Observations;
using Wallet.Protocol;

namespace PortableBenefits.Linkage.Attack;

/// <summary>One account's withdrawals in time order, and its place in each epoch's order of withdrawals.</summary>
internal sealed class AccountHistory(AccountId account)
{
    public AccountId Account { get; } = account;

    public List<ObservedWithdrawal> Withdrawals { get; } = [];

    /// <summary>Per epoch, the account's rank among that epoch's withdrawing accounts by first withdrawal, from 0 to 1.</summary>
    public Dictionary<uint, double> OrderInEpoch { get; } = [];
}
