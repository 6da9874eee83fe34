using Wallet.Protocol.Flows;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>
/// What databases that run one operation at a time (SQLite's one writer, the in-memory database's gate) share beyond
/// <c>SchemeTransactionsContract</c>, which PostgreSQL, running operations side by side, also passes.
/// </summary>
public static class OneOperationAtATime
{
    /// <summary>An operation whose token is cancelled while it waits for the running one never runs.</summary>
    /// <param name="database">The database.</param>
    /// <returns>A task.</returns>
    public static async Task AssertCancelledWaitRunsNothingAsync(ISchemeTransactions database)
    {
        ArgumentNullException.ThrowIfNull(database);
        var hold = new TaskCompletionSource();
        var running = database.RunAsync(
            async _ =>
            {
                await hold.Task;
                return 0;
            },
            CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));
        bool ran = false;
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => database.RunAsync(
            _ =>
            {
                ran = true;
                return Task.FromResult(0);
            },
            cancel.Token));
        hold.SetResult();
        await running;
        Assert.False(ran);
    }
}
