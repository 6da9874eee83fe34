using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.Schemes;
using Wallet.Protocol.Tests.Wire;
using Wallet.Storage.Sqlite.Scheme;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Scheme;

public sealed class SqliteSchemeStoreTests : SchemeStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly List<SqliteSchemeStore> _stores = [];

    protected override ISchemeStore CreateStore()
    {
        var store = SqliteSchemeStore.Open(_database.File($"scheme-{_stores.Count}.db"));
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task StateSurvivesReopening()
    {
        string path = _database.File("reopen.db");
        var samples = new MessageSamples(11);
        var spend = samples.Spend();
        var announcement = samples.Announcement();
        using (var store = SqliteSchemeStore.Open(path))
        {
            await store.PutSpendsAsync([spend], CancellationToken.None);
            await store.PutKeysetAsync(new StoredKeyset(announcement, 0, false), CancellationToken.None);
        }

        using var reopened = SqliteSchemeStore.Open(path);
        Assert.Equal(spend.Encode(), (await reopened.GetSpendAsync(spend.Coin.Id, CancellationToken.None))!.Encode());
        Assert.Equal(announcement.Encode(), (await reopened.GetKeysetAsync(announcement.Descriptor.Id, CancellationToken.None))!.Announcement.Encode());
    }

    public void Dispose()
    {
        foreach (var s in _stores)
        {
            s.Dispose();
        }

        _database.Dispose();
    }
}
