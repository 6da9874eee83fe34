using Wallet.Crypto.Merkle;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Allocation;

/// <summary>Scheme-side default allocation (flow 6) over the real roles, checked by the ledger and the auditor.</summary>
public sealed class DefaultAllocationTests
{
    [Fact]
    public async Task ExpiredValueGoesToTheWildcardProviderOnceAndTheAuditIsClean()
    {
        using var world = await WorldAsync();
        var table = await PublishAsync(world, 1, ("*", "*", "union-a"), ("care", "*", "trainer"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100);
        await world.PayAsync(wallet, world.UnionA, 100);
        await world.DepositAsync(world.UnionA, "d1");

        Assert.Null(await world.Scheme.AllocateExpiredAsync(world.General100.Id));
        world.Time.Advance(TimeSpan.FromDays(91));
        await world.Scheme.ExpireKeysetAsync(world.General100.Id);
        var record = await world.Scheme.AllocateExpiredAsync(world.General100.Id);
        var again = await world.Scheme.AllocateExpiredAsync(world.General100.Id);

        Assert.NotNull(record);
        Assert.Equal(table.Version, record.TableVersion);
        var share = Assert.Single(record.Shares);
        Assert.Equal(new ProviderShare(world.UnionA.Record.Id, Amount.FromMinorUnits(200)), share);
        Assert.Equal(Amount.Zero, record.Pooled);
        Assert.Equal(record.AllocatedAt, again!.AllocatedAt);
        Assert.Equal(300, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(0, await world.Ledger.GetBalanceAsync(LedgerAccount.Expired));
        var entries = await EntriesAsync(world);
        Assert.Single(entries, e => e.Kind == LogEntryKind.DefaultAllocated);
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
        var report = Auditor(world).Audit(entries, [await world.Scheme.GetTreeHeadAsync()]);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
    }

    [Fact]
    public async Task ValueTheDefaultProviderCannotTakeIsPooled()
    {
        using var world = await WorldAsync();

        // union-b's accreditation lapses after 10 days; union-a does not accept the training fund.
        await PublishAsync(world, 1, ("*", "*", "union-b"));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.Training100);
        world.Time.Advance(TimeSpan.FromDays(91));
        await world.Scheme.ExpireKeysetAsync(world.General100.Id);
        await world.Scheme.ExpireKeysetAsync(world.Training100.Id);

        var general = await world.Scheme.AllocateExpiredAsync(world.General100.Id);
        var training = await world.Scheme.AllocateExpiredAsync(world.Training100.Id);

        Assert.Empty(general!.Shares);
        Assert.Equal(100, general.Pooled.MinorUnits);
        Assert.Equal(100, training!.Pooled.MinorUnits);
        Assert.Equal(200, await world.Ledger.GetBalanceAsync(LedgerAccount.DefaultPool));
        var report = Auditor(world).Audit(await EntriesAsync(world), []);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
    }

    [Fact]
    public async Task UnwithdrawnBalancesAreAllocatedPerWorkerButLoggedPerProvider()
    {
        using var world = await WorldAsync();
        await PublishAsync(world, 1, ("*", "*", "union-a"), ("care", "*", "trainer"));
        var w2 = new AccountId("worker-2");
        var w3 = new AccountId("worker-3");
        var w4 = new AccountId("worker-4");
        await world.NewWalletAsync(w2.Value, 500);
        await world.NewWalletAsync(w3.Value, 300);
        await world.NewWalletAsync(w4.Value, 200);
        await world.NewWalletAsync("worker-5", 0);
        DefaultAllocationInput[] inputs =
        [
            new(w2, "care", "north"),
            new(w3, "retail", "south"),
            new(w4, "retail", "south"),
            new(new AccountId("worker-5"), "care", "south"),
        ];

        var record = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", inputs);
        var retried = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", inputs);

        Assert.Equal(
            [new ProviderShare(world.Trainer.Record.Id, Amount.FromMinorUnits(500)), new ProviderShare(world.UnionA.Record.Id, Amount.FromMinorUnits(500))],
            record!.Shares.ToArray());
        Assert.Equal(record.Shares.ToArray(), retried!.Shares.ToArray());
        foreach (var account in new[] { w2, w3, w4 })
        {
            Assert.Equal(0, await world.Scheme.GetWorkerBalanceAsync(account));
        }

        var entries = await EntriesAsync(world);
        var logged = Assert.Single(entries, e => e.Kind == LogEntryKind.DefaultAllocated);

        // The public record names providers and totals only: no account appears in its bytes.
        string text = System.Text.Encoding.ASCII.GetString(logged.Encode());
        Assert.DoesNotContain("worker-", text, StringComparison.Ordinal);
        Assert.True((await world.Ledger.VerifyAsync()).IsValid);
        var report = Auditor(world).Audit(entries, []);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
    }

    [Fact]
    public async Task ARetriedRoundReturnsTheLoggedRecordAndMovesNothingMore()
    {
        using var world = await WorldAsync();
        await PublishAsync(world, 1, ("*", "*", "union-a"));
        var account = new AccountId("worker-2");
        await world.NewWalletAsync(account.Value, 500);
        var record = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", [new(account, "a", "b")]);
        await world.Scheme.ContributeAsync(new IdempotencyKey("late"), ContributionSource.Employer, account, Amount.FromMinorUnits(70));

        var retried = await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", [new(account, "a", "b")]);

        Assert.Equal(500, record!.Total.MinorUnits);
        Assert.Equal(record.Shares.ToArray(), retried!.Shares.ToArray());
        Assert.Equal(70, await world.Scheme.GetWorkerBalanceAsync(account));
        Assert.Equal(500, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    [Fact]
    public async Task TablesMustBeSignedAndIncreasing()
    {
        using var world = await WorldAsync();
        using var stranger = Crypto.Signing.Ed25519SigningKey.Generate();
        var forged = DefaultAllocationTable.Sign(1, ProtocolWorld.Start, [new("*", "*", world.UnionA.Record.Id)], stranger);

        Assert.False(await world.Scheme.PublishAllocationTableAsync(forged));
        await PublishAsync(world, 2, ("*", "*", "union-a"));
        Assert.False(await world.Scheme.PublishAllocationTableAsync(Table(world, 1, ("*", "*", "union-b"))));
        Assert.Single(await world.Scheme.ListAllocationTablesAsync());
    }

    [Fact]
    public async Task ATableNeedsAHigherVersionAndNoEarlierIssueTime()
    {
        using var world = await WorldAsync();
        var first = await PublishAsync(world, 2, ("*", "*", "union-a"));
        DefaultAllocationTable Signed(uint version, DateTimeOffset issuedAt) =>
            DefaultAllocationTable.Sign(version, issuedAt, [new("*", "*", world.UnionB.Record.Id)], world.AccreditationKey);

        // The same version again, even with other rows, would let two tables claim one number.
        Assert.False(await world.Scheme.PublishAllocationTableAsync(Signed(2, first.IssuedAt)));
        // A later version dated before the table in force would rewrite which table was in force in between.
        Assert.False(await world.Scheme.PublishAllocationTableAsync(Signed(3, first.IssuedAt.AddSeconds(-1))));
        Assert.Single(await world.Scheme.ListAllocationTablesAsync());

        // A later version issued at the same second is an ordinary successor.
        Assert.True(await world.Scheme.PublishAllocationTableAsync(Signed(3, first.IssuedAt)));
        Assert.Equal([2u, 3u], (await world.Scheme.ListAllocationTablesAsync()).Select(t => t.Version));
    }

    [Fact]
    public async Task WithoutATableInForceNothingIsAllocated()
    {
        using var world = await WorldAsync();
        await world.NewWalletAsync("worker-2", 500);

        Assert.Null(await world.Scheme.AllocateUnwithdrawnAsync("epoch-1", [new(new AccountId("worker-2"), "a", "b")]));
        Assert.Equal(500, await world.Scheme.GetWorkerBalanceAsync(new AccountId("worker-2")));
    }

    [Fact]
    public async Task RepeatedAccountsAreACallerMistake()
    {
        using var world = await WorldAsync();
        var account = new AccountId("worker-2");

        var error = await Assert.ThrowsAsync<ArgumentException>(() => world.Scheme.AllocateUnwithdrawnAsync("epoch-1", [new(account, "a", "b"), new(account, "c", "d")]));
        Assert.Equal("workers", error.ParamName);
    }

    internal static async Task<ProtocolWorld> WorldAsync() =>
        await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());

    internal static DefaultAllocationTable Table(ProtocolWorld world, uint version, params (string Sector, string Region, string Provider)[] rows) =>
        DefaultAllocationTable.Sign(version, ProtocolWorld.Start.AddDays(-1), rows.Select(r => new DefaultAllocationRule(r.Sector, r.Region, new AccountId(r.Provider))), world.AccreditationKey);

    internal static async Task<DefaultAllocationTable> PublishAsync(ProtocolWorld world, uint version, params (string Sector, string Region, string Provider)[] rows)
    {
        var table = Table(world, version, rows);
        Assert.True(await world.Scheme.PublishAllocationTableAsync(table));
        return table;
    }

    internal static async Task<List<LogEntry>> EntriesAsync(ProtocolWorld world)
    {
        var entries = new List<LogEntry>();
        for (ulong i = 0; await world.Scheme.GetLogEntryAsync(i) is { } entry; i++)
        {
            entries.Add(entry);
        }

        return entries;
    }

    internal static LogAuditor Auditor(ProtocolWorld world) => new(world.Scheme.PublicKey, world.AccreditationKey.PublicKey);
}
