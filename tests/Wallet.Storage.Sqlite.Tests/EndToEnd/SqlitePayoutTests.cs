using Wallet.Protocol.Roles;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Payouts;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The payout suite on real SQLite files: ledger, scheme store and Merkle log.</summary>
public sealed class SqlitePayoutTests : PayoutContract, IAsyncLifetime
{
    private readonly SqliteWorlds _worlds = new();

    protected override async Task<(ProtocolWorld World, ISchemeOperator Operator)> CreateAsync()
    {
        var world = await _worlds.CreateAsync();
        return (world, world.Scheme);
    }

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
