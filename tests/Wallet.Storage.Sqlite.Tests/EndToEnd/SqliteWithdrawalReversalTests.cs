using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Withdrawals;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The cases of <see cref="WithdrawalReversalContract"/> on real SQLite files: ledger, scheme store and Merkle log.</summary>
public sealed class SqliteWithdrawalReversalTests : WithdrawalReversalContract, IAsyncLifetime
{
    private readonly SqliteWorlds _worlds = new();

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
