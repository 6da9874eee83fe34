using System.Diagnostics;
using System.Globalization;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Witnesses;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>Scheme.Server as shipped, with two Witness.Server processes: its checkpoint comes to carry both cosignatures.</summary>
public sealed class SchemeServerWitnessTests
{
    [Fact]
    public async Task SchemeServerServesACheckpointBothWitnessesCosignedAndKeepsUpAsItsLogGrows()
    {
        string root = Directory.CreateTempSubdirectory("walletcore-scheme-witness-").FullName;
        string data = Path.Combine(root, "scheme");
        Directory.CreateDirectory(data);
        int port = FreePort();
        string origin = $"127.0.0.1:{port.ToString(CultureInfo.InvariantCulture)}/pb1";

        // The witnesses must trust the log key before the scheme starts, so the scheme's seeds are written first.
        byte[] schemeSeed = [.. Enumerable.Range(0x21, 32).Select(i => (byte)i)];
        byte[] accreditationSeed = [.. Enumerable.Range(0x51, 32).Select(i => (byte)i)];
        await File.WriteAllBytesAsync(Path.Combine(data, "scheme.ed25519"), schemeSeed);
        await File.WriteAllBytesAsync(Path.Combine(data, "accreditation.ed25519"), accreditationSeed);
        using var schemeKey = Ed25519SigningKey.FromSeed(schemeSeed);
        using var accreditationKey = Ed25519SigningKey.FromSeed(accreditationSeed);
        string logVkey = new Ed25519NoteSigner(origin, schemeKey).Verifier.VerifierKey;

        Directory.CreateDirectory(Path.Combine(root, "w1"));
        Directory.CreateDirectory(Path.Combine(root, "w2"));
        await using WitnessServerProcess w1 = await WitnessServerProcess.StartAsync(Path.Combine(root, "w1"), "w1.example.org/witness", logVkey);
        await using WitnessServerProcess w2 = await WitnessServerProcess.StartAsync(Path.Combine(root, "w2"), "w2.example.org/witness", logVkey);
        var options = new WitnessPolicyOptions { LogVerifierKey = logVkey, Quorum = 2 };
        options.Witnesses.Add(new WitnessKeyOptions { Name = "w1", VerifierKey = w1.Vkey });
        options.Witnesses.Add(new WitnessKeyOptions { Name = "w2", VerifierKey = w2.Vkey });
        var policy = new WitnessPolicy(options);

        using var server = Start(
            Sample("Scheme.Server"), "--data", data, "--port", port.ToString(CultureInfo.InvariantCulture), "--in-memory",
            "--witness", $"{w1.Vkey}@{w1.Url}", "--witness", $"{w2.Vkey}@{w2.Url}", "--witness-interval", "0.2");
        var output = Collect(server);
        try
        {
            await WaitUntilListeningAsync(port, server);
            lock (output)
            {
                Assert.Contains($"witness           w1.example.org/witness at {w1.Url}add-checkpoint", output.ToString(), StringComparison.Ordinal);
            }

            using var http = new HttpClient();
            var client = new HttpSchemeClient(http, new HttpSchemeClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/pb1/") });
            WitnessPolicyResult first = await EventuallyAcceptedAsync(client, policy, 0, server);
            Assert.Equal(["w1", "w2"], first.CosignedBy.ToArray());

            // The log grows through the operator API; the loop sends the new checkpoint to both witnesses.
            var operatorClient = new HttpSchemeOperatorClient(http, new HttpSchemeOperatorClientOptions
            {
                Transport = new HttpSchemeClientOptions { BaseAddress = new Uri($"http://127.0.0.1:{port}/pb1/operator/") },
                OperatorKey = (await File.ReadAllTextAsync(Path.Combine(data, "operator.key"))).Trim(),
            });
            Assert.True(await operatorClient.PublishRegistryAsync(AccreditationRegistry.Sign(1, DateTimeOffset.UnixEpoch.AddDays(20000), [], accreditationKey)));
            ulong size = (await client.GetTreeHeadAsync()).TreeSize;
            Assert.True(size > first.Checkpoint!.TreeSize);
            await EventuallyAcceptedAsync(client, policy, size, server);
        }
        finally
        {
            server.Kill(entireProcessTree: true);
            await server.WaitForExitAsync();
            await w1.StopAsync();
            await w2.StopAsync();
            Directory.Delete(root, recursive: true);
        }
    }

    // Polls GET /pb1/checkpoint until the policy accepts a checkpoint of at least the size; the bound is generous, not a speed check.
    private static async Task<WitnessPolicyResult> EventuallyAcceptedAsync(HttpSchemeClient client, WitnessPolicy policy, ulong size, Process server)
    {
        var waited = Stopwatch.StartNew();
        while (true)
        {
            Assert.False(server.HasExited, "Scheme.Server exited early.");
            WitnessPolicyResult result = policy.Evaluate(await client.GetCheckpointAsync());
            if (result.IsAccepted && result.Checkpoint.TreeSize >= size)
            {
                return result;
            }

            Assert.True(waited.Elapsed < TimeSpan.FromMinutes(3), $"no checkpoint of size {size} or more with both cosignatures: {result}");
            await Task.Delay(200);
        }
    }
}
