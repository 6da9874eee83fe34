using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Storage.Sqlite.Tests.EndToEnd;

/// <summary>The protocol model test on real SQLite files: a fresh ledger, scheme store and Merkle log per run.</summary>
/// <remarks>
/// Disposed through <see cref="IDisposable"/>: FsCheck.Xunit's property runner disposes a test class that way and never
/// through IAsyncLifetime, which left this class's temporary directory and its databases behind after every run.
/// </remarks>
public sealed class SqliteProtocolModelTests : ProtocolModelTests, IDisposable
{
    private readonly SqliteWorlds _worlds = new();

    protected override Task<ProtocolWorld> CreateWorldAsync() => _worlds.CreateAsync();

    protected override ValueTask ReleaseWorldAsync() => _worlds.ReleaseAsync();

    public void Dispose() => _worlds.Dispose();
}
