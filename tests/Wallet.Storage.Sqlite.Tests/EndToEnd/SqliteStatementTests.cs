using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The statement suite on real SQLite files: ledger, scheme store (contribution records) and Merkle log.</summary>
public sealed class SqliteStatementTests : StatementContract, IAsyncLifetime
{
    private readonly SqliteWorlds _worlds = new();

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
