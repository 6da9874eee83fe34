using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The whole PB/1 end-to-end suite on real SQLite files: ledger, scheme store and Merkle log.</summary>
public sealed class SqliteEndToEndTests : EndToEndContract, IAsyncLifetime
{
    private readonly SqliteWorlds _worlds = new();

    protected override Task<ProtocolWorld> CreateWorldAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa) => _worlds.CreateAsync(mode);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();
}
