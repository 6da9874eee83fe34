using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The refund suite on real SQLite files: ledger, scheme store (refund claims, refunded coins) and Merkle log.</summary>
public sealed class SqliteRefundTests : RefundContract, IAsyncLifetime
{
    private readonly SqliteWorlds _worlds = new();

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
