using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Protocol.AspNetCore.Tests.Samples;
using Wallet.Protocol.Checkpoints;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.AspNetCore.Tests.Checkpoints;

/// <summary>
/// The scheme's cosigner over real HTTP: two samples/Witness.Server processes with their state on disk, and the
/// checkpoint served at GET /pb1/checkpoint by a loopback Kestrel (PROTOCOL.md 5.16).
/// </summary>
/// <remarks>
/// xUnit 2 disposes a test class through <see cref="IDisposable"/> or <see cref="IAsyncLifetime"/>, never through
/// <see cref="IAsyncDisposable"/> alone: as an IAsyncDisposable this class left its three witness processes running and
/// its directory behind after every run.
/// </remarks>
public sealed class CheckpointCosignerHttpTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("walletcore-cosigner-http-").FullName;
    private readonly HttpClient _http = new();
    private readonly List<WitnessServerProcess> _witnesses = [];

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync()
    {
        foreach (WitnessServerProcess witness in _witnesses)
        {
            await witness.DisposeAsync();
        }

        _http.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task TwoWitnessesCosignADownOneLeavesTheOtherAndARestartedOneCatchesUp()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var server = world.Own(await LoopbackScheme.StartAsync(world.Scheme, map: app => app.MapWalletSchemeTiles(world.Scheme, _ => { })));
        string logVkey = new Ed25519NoteSigner(world.Scheme.CheckpointOrigin, world.SchemeKey).Verifier.VerifierKey;
        WitnessServerProcess w1 = await StartWitnessAsync("w1", logVkey);
        WitnessServerProcess w2 = await StartWitnessAsync("w2", logVkey);
        WitnessPolicy both = Policy(logVkey, 2, w1, w2);
        WitnessPolicy either = Policy(logVkey, 1, w1, w2);

        var cosigner = new CheckpointCosigner(world.Scheme, [Over(w1), Over(w2)], witnessTimeout: TimeSpan.FromSeconds(30));
        CosigningResult first = await cosigner.CosignAsync();
        Assert.Equal(2, first.CosignedBy.Length);
        SignedNote served = await ServedAsync(server);
        Assert.True(both.Evaluate(served).IsAccepted, both.Evaluate(served).ToString());
        Assert.Equal(first.Note, served);

        // w2 goes down: the log still grows, w1 still cosigns, and what is served carries w1's line for the new size.
        await w2.StopAsync();
        await GrowAsync(world, first.Checkpoint.TreeSize + 3);
        CosigningResult withOneDown = await cosigner.CosignAsync();
        Assert.Equal(WitnessSubmissionStatus.Cosigned, withOneDown.Witnesses[0].Submission.Status);
        Assert.Equal(WitnessSubmissionStatus.Unreachable, withOneDown.Witnesses[1].Submission.Status);
        served = await ServedAsync(server);
        WitnessPolicyResult partial = either.Evaluate(served);
        Assert.True(partial.IsAccepted);
        Assert.Equal(withOneDown.Checkpoint.TreeSize, partial.Checkpoint.TreeSize);
        Assert.Equal(WitnessPolicyStatus.QuorumNotMet, both.Evaluate(served).Status);

        // w2 restarts on its state; a restarted scheme's cosigner knows no sizes and learns them from each 409.
        await w2.StartAsync();
        await GrowAsync(world, withOneDown.Checkpoint.TreeSize + 2);
        var restarted = new CheckpointCosigner(world.Scheme, [Over(w1), Over(w2)], witnessTimeout: TimeSpan.FromSeconds(30));
        CosigningResult caughtUp = await restarted.CosignAsync();
        Assert.Equal(2, caughtUp.CosignedBy.Length);
        served = await ServedAsync(server);
        Assert.True(both.Evaluate(served).IsAccepted);
        Assert.Equal((await world.Scheme.GetTreeHeadAsync()).TreeSize, both.Evaluate(served).Checkpoint!.TreeSize);
    }

    [Fact]
    public async Task ASilentWitnessNeitherDelaysTheOthersCosignatureNorTheScheme()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        string logVkey = new Ed25519NoteSigner(world.Scheme.CheckpointOrigin, world.SchemeKey).Verifier.VerifierKey;
        WitnessServerProcess w1 = await StartWitnessAsync("w1", logVkey);

        // A witness that accepts the connection and never answers; the cosigner would wait for it a whole day.
        using var silent = new TcpListener(IPAddress.Loopback, 0);
        silent.Start();
        var silentUrl = new Uri($"http://127.0.0.1:{((IPEndPoint)silent.LocalEndpoint).Port}/");
        var silentKey = new CosignatureV1Signer("silent.example.org/w", world.AccreditationKey, TimeProvider.System).Verifier;
        var cosigner = new CheckpointCosigner(
            world.Scheme,
            [Over(w1), new CheckpointWitness(silentKey, new HttpWitnessClient(_http, silentUrl, TimeSpan.FromDays(1)))],
            witnessTimeout: TimeSpan.FromDays(1));

        using var stop = new CancellationTokenSource();
        Task<CosigningResult> round = cosigner.CosignAsync(stop.Token);
        WitnessPolicy policy = Policy(logVkey, 1, w1);
        var waited = Stopwatch.StartNew();
        while (!policy.Evaluate(await world.Scheme.GetCheckpointAsync()).IsAccepted)
        {
            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(2), "w1's cosignature was never served");
            await Task.Delay(50);
        }

        // The scheme serves and grows while the round still waits on the silent witness.
        Assert.False(round.IsCompleted);
        await GrowAsync(world, (await world.Scheme.GetTreeHeadAsync()).TreeSize + 1);
        Assert.True(policy.Evaluate(await world.Scheme.GetCheckpointAsync()).IsAccepted);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => round);
    }

    private CheckpointWitness Over(WitnessServerProcess witness) =>
        new((CosignatureV1Verifier)NoteVerifier.Parse(witness.Vkey), new HttpWitnessClient(_http, witness.Url));

    private static WitnessPolicy Policy(string logVkey, int quorum, params WitnessServerProcess[] witnesses)
    {
        var options = new WitnessPolicyOptions { LogVerifierKey = logVkey, Quorum = quorum };
        foreach (WitnessServerProcess witness in witnesses)
        {
            options.Witnesses.Add(new WitnessKeyOptions { Name = witness.Name, VerifierKey = witness.Vkey });
        }

        return new WitnessPolicy(options);
    }

    private async Task<WitnessServerProcess> StartWitnessAsync(string name, string logVkey)
    {
        string directory = Path.Combine(_directory, name);
        Directory.CreateDirectory(directory);
        WitnessServerProcess witness = await WitnessServerProcess.StartAsync(directory, $"{name}.example.org/witness", logVkey);
        _witnesses.Add(witness);
        return witness;
    }

    private static async Task<SignedNote> ServedAsync(LoopbackScheme server)
    {
        using HttpResponseMessage response = await server.Http.GetAsync("pb1/checkpoint");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.True(response.Headers.CacheControl!.MaxAge <= TimeSpan.FromSeconds(5));
        return SignedNote.Parse(await response.Content.ReadAsByteArrayAsync());
    }

    // Registry publications are the cheapest entries to log: each new version is one signed entry.
    private static async Task GrowAsync(ProtocolWorld world, ulong size)
    {
        var registries = await world.Scheme.ListRegistriesAsync();
        uint version = registries[^1].Version;
        for (ulong current = (await world.Scheme.GetTreeHeadAsync()).TreeSize; current < size; current++)
        {
            var registry = AccreditationRegistry.Sign(++version, world.Registry.IssuedAt, world.Registry.Providers, world.AccreditationKey);
            Assert.True(await world.Scheme.PublishRegistryAsync(registry));
        }
    }
}
