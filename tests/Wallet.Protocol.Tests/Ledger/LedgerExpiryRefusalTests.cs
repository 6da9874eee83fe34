using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// An expired keyset is closed to every further movement: a withdrawal, deposit or swap that names it anywhere
/// (one output among several, one input, one output of a swap) is refused as <see cref="LedgerStatus.KeysetExpired"/>
/// with nothing moved, and the refusal is remembered under its key. In memory here; the SQLite suite runs it too.
/// </summary>
public class LedgerExpiryRefusalTests : LedgerTestBase
{
    private static readonly Dictionary<string, Func<SchemeLedger, Task<LedgerResult>>> Cases = new()
    {
        ["withdraw/only-output"] = l => l.WithdrawAsync(Key("op"), Worker(1), [Issue(3, 10)]),
        ["withdraw/last-of-several-outputs"] = l => l.WithdrawAsync(Key("op"), Worker(1), [Issue(1, 10), Issue(2, 10), Issue(3, 10)]),
        ["withdraw/first-of-several-outputs"] = l => l.WithdrawAsync(Key("op"), Worker(1), [Issue(3, 10), Issue(1, 10)]),
        ["deposit/only-coin"] = l => l.DepositAsync(Key("op"), Provider(1), [Spent(301, 3, 10)]),
        ["deposit/one-coin-among-live-ones"] = l => l.DepositAsync(Key("op"), Provider(1), [Spent(101, 1, 10), Spent(301, 3, 10), Spent(201, 2, 10)]),
        ["swap/input"] = l => l.SwapAsync(Key("op"), [Spent(301, 3, 10)], [Issue(1, 10)]),
        ["swap/one-input-among-live-ones"] = l => l.SwapAsync(Key("op"), [Spent(101, 1, 10), Spent(301, 3, 10)], [Issue(2, 20)]),
        ["swap/output"] = l => l.SwapAsync(Key("op"), [Spent(101, 1, 10)], [Issue(3, 10)]),
        ["swap/one-output-among-live-ones"] = l => l.SwapAsync(Key("op"), [Spent(101, 1, 10), Spent(201, 2, 10)], [Issue(1, 5), Issue(2, 5), Issue(3, 10)]),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task OperationNamingAnExpiredKeysetIsRefusedAndMovesNothing(string name)
    {
        await SetUpWorldAsync();
        string before = await SnapshotAsync();

        var result = await Cases[name](Ledger);
        var retry = await Cases[name](Ledger);

        Assert.Equal(LedgerStatus.KeysetExpired, result.Status);
        Assert.Null(result.Entry);
        Assert.Empty(result.Conflicts);
        Assert.Equal(before, await SnapshotAsync());
        Assert.True(retry.IsReplay);
        Assert.Equal(LedgerStatus.KeysetExpired, retry.Status);
        Assert.Null(await Ledger.FindSpentAsync(Coin(101)));
        Assert.Null(await Ledger.FindSpentAsync(Coin(301)));
        var report = await Ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task SameOperationOnLiveKeysetsIsApplied(string name)
    {
        // The control for the refusals above: with keyset 3 never expired, each operation goes through, so the
        // refusal is the expiry's doing and not some other check's.
        await SetUpWorldAsync(expire: false);

        var result = await Cases[name](Ledger);

        Assert.Equal(LedgerStatus.Applied, result.Status);
        var report = await Ledger.VerifyAsync();
        Assert.True(report.IsValid, string.Join("\n", report.Problems));
    }

    [Fact]
    public async Task ExpiringAnExpiredKeysetAgainIsRefusedAndMovesNothing()
    {
        await SetUpWorldAsync();
        string before = await SnapshotAsync();

        var again = await Ledger.ExpireAsync(Key("expire-3-again"), Keyset(3));

        Assert.Equal(LedgerStatus.KeysetExpired, again.Status);
        Assert.Null(again.Entry);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task ExpiryOfOneKeysetLeavesTheOthersOpen()
    {
        await SetUpWorldAsync();

        var totals = await Ledger.GetKeysetAsync(Keyset(3));
        var withdrawal = await Ledger.WithdrawAsync(Key("w"), Worker(1), [Issue(1, 10), Issue(2, 10)]);

        Assert.True(totals.IsExpired);
        Assert.Equal(Pence(100), totals.Expired);
        Assert.Equal(100, await Ledger.GetBalanceAsync(LedgerAccount.Expired));
        Assert.Equal(0, await Ledger.GetBalanceAsync(LedgerAccount.Outstanding(Keyset(3))));
        Assert.False((await Ledger.GetKeysetAsync(Keyset(1))).IsExpired);
        Assert.True(withdrawal.Succeeded);
    }

    /// <summary>Keysets 1, 2 and 3 have 100 outstanding each; worker 1 holds 100; keyset 3 is expired unless told not to.</summary>
    private async Task SetUpWorldAsync(bool expire = true)
    {
        await FundAsync(Worker(10), 1, 100);
        await FundAsync(Worker(11), 2, 100);
        await FundAsync(Worker(12), 3, 100);
        Assert.True((await Ledger.ContributeAsync(Key("fund-1"), ContributionSource.State, Worker(1), Pence(100))).Succeeded);
        if (expire)
        {
            Assert.True((await Ledger.ExpireAsync(Key("expire-3"), Keyset(3))).Succeeded);
        }
    }
}
