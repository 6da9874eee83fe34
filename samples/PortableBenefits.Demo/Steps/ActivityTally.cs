namespace PortableBenefits.Demo.Steps;

/// <summary>What happened during a month's activity, counted from several threads (fields, for Interlocked) and checked at its end.</summary>
internal sealed class ActivityTally
{
    public int Withdrawals;
    public int SyncFailures;
    public int WithdrawalsRefused;
    public int Paid;
    public int DuesPaid;
    public int DuesShort;
    public int RefusedByProvider;
    public int ShortOfFunds;
    public int OtherRefusals;
    public int ImmediateSwaps;
    public int ImmediateSwapFailures;
    public int ChangeAheadSwaps;
    public int ChangeAheadFailures;
    public int ChangeAheadNotNeeded;
    public int Batches;
    public int BatchesRefused;
    public int Receipts;
    public int ReceiptsRefused;
}
