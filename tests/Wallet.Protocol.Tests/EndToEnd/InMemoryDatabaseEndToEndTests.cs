using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.EndToEnd;

/// <summary>Every PB/1 flow end to end on an <see cref="InMemorySchemeDatabase"/>: one transaction per operation in memory.</summary>
public sealed class InMemoryDatabaseEndToEndTests : EndToEndContract
{
    protected override Task<ProtocolWorld> CreateWorldAsync(BlindRsaScheme mode = BlindRsaScheme.Rsabssa)
    {
        var database = new InMemorySchemeDatabase();
        return ProtocolWorld.CreateAsync(
            database.Ledger,
            database.Scheme,
            database.Log,
            mode,
            scheme: world => new BenefitScheme(world.SchemeKey, world.AccreditationKey.PublicKey, world.Ledger, database.Scheme, database.Log, world.Time) { Transactions = database });
    }
}
