namespace Wallet.Storage.Sqlite.Ledger;

/// <summary>Drops the result of a completed value task.</summary>
internal static class ValueTaskExtensions
{
    public static ValueTask AsCompleted<T>(this ValueTask<T> task)
    {
        _ = task.Result;
        return ValueTask.CompletedTask;
    }
}
