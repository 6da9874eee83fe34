using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using Wallet.Storage.Sqlite.Providers;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The dues mandate suite on real SQLite files: the scheme's ledger, store and log, and the union's provider store.</summary>
public sealed class SqliteMandateTests : MandateContract, IAsyncLifetime
{
    private readonly SqliteWorlds _worlds = new();
    private readonly TempDatabase _unions = new();
    private readonly List<SqliteProviderStore> _stores = [];

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    protected override IProviderStore CreateUnionStore() => Open(_unions.File($"union-{_stores.Count}.db"));

    [Fact]
    public async Task TheMembershipLedgerAndMandatesSurviveTheUnionsRestart()
    {
        using var world = await CreateWorldAsync();
        string path = _unions.File("union-restart.db");
        var (wallet, _) = await world.NewWalletAsync("member-r", 200);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100);
        Wallet.Protocol.Mandates.DuesMandate mandate;
        using (var union = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, Open(path)))
        {
            mandate = await union.IssueMandateAsync([7, 7], Amount.FromMinorUnits(100), KeysetDescriptor.GeneralFund, TimeSpan.FromDays(7), TimeSpan.FromDays(5), world.Time.GetUtcNow(), null);
            Assert.Equal(MandateAcceptance.Accepted, wallet.AcceptMandate(mandate, world.Registry));
            world.Time.SetUtcNow(mandate.PeriodStart(0) + TimeSpan.FromDays(5) - TimeSpan.FromSeconds(1));
            Assert.Equal(1, await PayDueAsync(world, wallet, union));
        }

        // Reopened: the verified mandate payment is deposited, and the ledger reads it as paid.
        using (var union = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, Open(path)))
        {
            Assert.Equal(mandate.Encode(), (await union.GetMandateAsync(mandate.Id))!.Encode());
            await DepositAsync(world, wallet, union);
        }

        using (var union = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, Open(path)))
        {
            Assert.Equal(1u, (await union.GetMembershipAsync(mandate.Id))!.PeriodsPaid);
            Assert.True((await union.IssuePaidUpStatementAsync(mandate.Id))!.Verify(mandate, union.Record.ReceiptKey));
        }
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _unions.Dispose();
        await _worlds.DisposeAsync();
    }

    private SqliteProviderStore Open(string path)
    {
        var store = SqliteProviderStore.Open(path);
        _stores.Add(store);
        return store;
    }
}
