using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Swaps;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The swap race suite on real SQLite files: first spend wins across threads with the ledger, scheme store and log on disk.</summary>
public sealed class SqliteSwapRaceTests : SwapRaceContract, IAsyncLifetime
{
    private readonly SqliteWorlds _worlds = new();

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
