namespace Wallet.Protocol.Audit;

/// <summary>
/// The providers' payable as a log prefix gives it, term by term (docs/PROTOCOL.md 5.18): the deposits (spent coins at
/// their keyset's denomination) plus the default allocations to providers, less the refunds (5.17) and the payouts. The log names no provider
/// per coin, so the equation holds over all providers together; the ledger checkpoint's payable total is checked against
/// it.
/// </summary>
internal sealed class PayableTerms
{
    /// <summary>The value of every coin deposited.</summary>
    public long Deposits { get; private set; }

    /// <summary>Every default allocation's shares paid to providers.</summary>
    public long Allocations { get; private set; }

    /// <summary>Every refund providers paid back to their payers as new coins.</summary>
    public long Refunds { get; private set; }

    /// <summary>Everything paid out of the scheme to providers.</summary>
    public long Payouts { get; private set; }

    /// <summary>What the scheme owes providers now: deposits + allocations - refunds - payouts.</summary>
    public long Payable => Deposits + Allocations - Refunds - Payouts;

    public void Deposit(long value) => Deposits += value;

    public void Allocate(long value) => Allocations += value;

    public void Refund(long value) => Refunds += value;

    public void PayOut(long value) => Payouts += value;

    /// <summary>The equation with its figures, for a violation's detail.</summary>
    public override string ToString() => $"deposits {Deposits} + allocations {Allocations} - refunds {Refunds} - payouts {Payouts} = {Payable}";
}
