namespace Wallet.Storage.Testing;

// Contribution records and the withdrawals a statement lists (docs/PROTOCOL.md 5.23).
public abstract partial class SchemeStoreContract
{
    private static readonly DateTimeOffset Day0 = new(2026, 3, 1, 0, 0, 0, TimeSpan.Zero);

    /// <summary>Contribution records keep the first write per ledger key.</summary>
    [Fact]
    public async Task ContributionRecordsKeepTheFirstWritePerLedgerKey()
    {
        var store = CreateStore();
        var worker = new AccountId("w-1");
        var first = Record("k-1", worker, 100, Day0.AddHours(13), new AccountId("employer-a"));

        Assert.Null(await store.GetContributionRecordAsync(first.LedgerKey, None));
        await store.PutContributionRecordsAsync([first, Record("k-1", worker, 999, Day0.AddDays(4), null)], None);
        await store.PutContributionRecordsAsync([Record("k-1", new AccountId("w-2"), 5, Day0, null)], None);

        var kept = await store.GetContributionRecordAsync(first.LedgerKey, None);
        Assert.Equal(first, kept);
        Assert.Equal(Day0, kept!.RecordedAt);
        Assert.Equal(new AccountId("employer-a"), kept.Contributor);
        Assert.Empty(await store.ListContributionRecordsAsync(new AccountId("w-2"), DateTimeOffset.UnixEpoch, Day0.AddYears(1), 10, None));
    }

    /// <summary>Contribution records list by worker and period in day then key order.</summary>
    [Fact]
    public async Task ContributionRecordsListByWorkerAndPeriodInDayThenKeyOrder()
    {
        var store = CreateStore();
        var worker = new AccountId("w-1");
        var other = new AccountId("w-2");
        await store.PutContributionRecordsAsync(
        [
            Record("c", worker, 3, Day0.AddDays(1), null),
            Record("b", worker, 2, Day0.AddDays(1).AddHours(5), new AccountId("employer-b")),
            Record("a", worker, 1, Day0.AddDays(2), null),
            Record("z", worker, 4, Day0, null),
            Record("x", other, 5, Day0.AddDays(1), null),
            Record("late", worker, 6, Day0.AddDays(3), null),
        ], None);

        var period = await store.ListContributionRecordsAsync(worker, Day0.AddDays(1), Day0.AddDays(3), 10, None);
        var limited = await store.ListContributionRecordsAsync(worker, DateTimeOffset.UnixEpoch, Day0.AddDays(10), 2, None);

        Assert.Equal(["b", "c", "a"], period.Select(r => r.LedgerKey.Value));
        Assert.Equal(["z", "b"], limited.Select(r => r.LedgerKey.Value));
        Assert.Empty(await store.ListContributionRecordsAsync(worker, Day0.AddDays(1), Day0.AddDays(3), 0, None));
        var fresh = new MessageSamples(40).ContributionRecord(worker);
        await store.PutContributionRecordsAsync([fresh], None);
        Assert.Equal(fresh, await store.GetContributionRecordAsync(fresh.LedgerKey, None));
    }

    /// <summary>Withdrawal receipts list the account's honoured withdrawals only.</summary>
    [Fact]
    public async Task WithdrawalReceiptsListTheAccountsHonouredWithdrawalsOnly()
    {
        var store = CreateStore();
        var samples = new MessageSamples(41);
        var request = samples.Withdrawal();
        using var key = Wallet.Crypto.Signing.Ed25519SigningKey.Generate();
        var response = new WithdrawalResponse(WithdrawalReceipt.Sign(request, Amount.FromMinorUnits(700), Day0, key), [.. request.Items.Select(_ => Wallet.Crypto.BlindRsa.BlindSignature.FromBytes(samples.Bytes(256)))]);
        await store.PutWithdrawalAsync(request, response, None);

        var listed = await store.ListWithdrawalReceiptsAsync(request.Account, None);

        Assert.Equal([response.Receipt.Encode()], listed.Select(r => r.Encode()));
        Assert.Empty(await store.ListWithdrawalReceiptsAsync(new AccountId("nobody"), None));
    }

    private static ContributionRecord Record(string key, AccountId worker, long amount, DateTimeOffset at, AccountId? contributor) =>
        new(new IdempotencyKey(key), worker, ContributionSource.Employer, contributor, KeysetDescriptor.GeneralFund, Amount.FromMinorUnits(amount), at);
}
