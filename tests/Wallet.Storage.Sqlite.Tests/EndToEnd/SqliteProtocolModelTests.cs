using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The protocol model test on real SQLite files: a fresh ledger, scheme store and Merkle log per run.</summary>
public sealed class SqliteProtocolModelTests : ProtocolModelTests, IAsyncLifetime
{
    private readonly SqliteWorlds _worlds = new();

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    protected override ValueTask ReleaseWorldAsync() => _worlds.ReleaseAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
