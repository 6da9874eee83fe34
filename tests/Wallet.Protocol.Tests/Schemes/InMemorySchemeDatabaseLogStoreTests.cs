using Wallet.Crypto.Merkle;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Testing;

namespace Wallet.Protocol.Tests.Schemes;

/// <summary>The Merkle log of an <see cref="InMemorySchemeDatabase"/>, used outside any operation, passes the Merkle log store contract.</summary>
public sealed class InMemorySchemeDatabaseLogStoreTests : MerkleLogStoreContract
{
    protected override Task<IMerkleLogStore> CreateStoreAsync() => Task.FromResult(new InMemorySchemeDatabase().Log);
}
