using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Protocol.Checkpoints;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.AspNetCore.Tests.Client;

/// <summary><see cref="HttpSchemeClient.GetCheckpointAsync"/>: the served cosigned note, or a typed error for a malformed one.</summary>
public sealed class HttpSchemeClientCheckpointTests
{
    [Fact]
    public async Task TheClientGetsTheSchemesCosignedCheckpoint()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletSchemeTiles(world.Scheme, o => o.Origin = world.Scheme.CheckpointOrigin)));
        var client = new HttpSchemeClient(server.Http, new HttpSchemeClientOptions { BaseAddress = server.SchemeAddress });

        // No witnesses yet: a freshly signed checkpoint with the scheme's one signature.
        SignedNote fresh = await client.GetCheckpointAsync();
        Assert.Equal(await world.Scheme.SignCheckpointAsync(world.Scheme.CheckpointOrigin), fresh);

        using var witnessKey = Crypto.Signing.Ed25519SigningKey.Generate();
        var logKey = new Ed25519NoteSigner(world.Scheme.CheckpointOrigin, world.SchemeKey).Verifier;
        var witness = new Witness([new WitnessedLog(world.Scheme.CheckpointOrigin, logKey)], new CosignatureV1Signer("w.example.org/w", witnessKey, TimeProvider.System), new InMemoryWitnessStore());
        await new CheckpointCosigner(world.Scheme, [new CheckpointWitness(witness.Verifier, new InProcessWitnessClient(witness))]).CosignAsync();

        SignedNote cosigned = await client.GetCheckpointAsync();
        Assert.Equal(await world.Scheme.GetCheckpointAsync(), cosigned);
        var options = new WitnessPolicyOptions { LogVerifierKey = logKey.VerifierKey, Quorum = 1 };
        options.Witnesses.Add(new WitnessKeyOptions { Name = "w", VerifierKey = witness.Verifier.VerifierKey });
        Assert.True(new WitnessPolicy(options).Evaluate(cosigned).IsAccepted);
    }

    [Theory]
    [InlineData("not a signed note")]
    [InlineData("hello\n\n— someone AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA\n")]
    [InlineData("")]
    public async Task AMalformedCheckpointIsASchemeHttpException(string body)
    {
        using var server = await LoopbackScheme.StartAsync(null, map: app => app.MapGet("/pb1/checkpoint", async (HttpContext http) =>
        {
            http.Response.ContentType = "text/plain; charset=utf-8";
            await http.Response.WriteAsync(body, Encoding.UTF8);
        }));
        var client = new HttpSchemeClient(server.Http, new HttpSchemeClientOptions { BaseAddress = server.SchemeAddress, MaxAttempts = 1 });
        await Assert.ThrowsAsync<SchemeHttpException>(() => client.GetCheckpointAsync());
    }
}
