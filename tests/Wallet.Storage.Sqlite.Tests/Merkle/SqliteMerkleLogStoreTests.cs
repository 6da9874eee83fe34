using Wallet.Crypto.Merkle;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Tests.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Merkle;

public sealed class SqliteMerkleLogStoreTests : MerkleLogStoreContract, IDisposable
{
    private readonly TempDatabase _database = new();
    private readonly List<SqliteMerkleLogStore> _stores = [];

    protected override Task<IMerkleLogStore> CreateStoreAsync()
    {
        var store = SqliteMerkleLogStore.Open(_database.File($"merkle-{_stores.Count}.db"));
        _stores.Add(store);
        return Task.FromResult<IMerkleLogStore>(store);
    }

    [Fact]
    public async Task LogSurvivesReopening()
    {
        string path = _database.File("reopen.db");
        MerkleHash root;
        using (var store = SqliteMerkleLogStore.Open(path))
        {
            var log = new MerkleLog(store);
            for (int i = 0; i < 11; i++)
            {
                await log.AppendAsync(new byte[] { (byte)i });
            }

            root = await log.GetRootAsync(11);
        }

        using var reopened = SqliteMerkleLogStore.Open(path);
        var again = new MerkleLog(reopened);
        Assert.Equal(11UL, await again.GetSizeAsync());
        Assert.Equal(root, await again.GetRootAsync(11));
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
