using Wallet.Protocol.Keysets;
using Wallet.Protocol.Keysets.Remote;
using Wallet.Protocol.Tests.Keysets;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;
using static Wallet.Protocol.AspNetCore.Tests.Samples.SampleProcesses;

namespace Wallet.Protocol.AspNetCore.Tests.Samples;

/// <summary>
/// The keysets' keys in a separate signing process (docs/PROTOCOL.md 8.2): samples/Scheme.Signer started as its own
/// process, the scheme signing over its Unix domain socket.
/// </summary>
public sealed class SchemeSignerProcessTests
{
    [Fact]
    public async Task WithdrawalsSignInTheSignerProcessAndAKilledSignerLosesNoValue()
    {
        string root = Directory.CreateTempSubdirectory("walletcore-signer-").FullName;
        try
        {
            await using var signer = new SchemeSignerChild(root);
            await signer.StartAsync();
            using var world = new KeyCustodyWorld();
            using var signers = new SocketKeysetSignerSource(signer.Socket);
            var scheme = world.OpenSchemeWith(signers);

            // The key is generated in the signer process and filed there under the announced keyset.
            var descriptor = (await scheme.AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters())).Announcement.Descriptor;
            Assert.Equal([$"{descriptor.Id}.key"], Directory.GetFiles(signer.Keys).Select(Path.GetFileName));

            var wallet = await world.WalletAsync(scheme, "worker-1", 1000);
            var first = wallet.PrepareWithdrawal(new IdempotencyKey("w1"), [descriptor.Id, descriptor.Id, descriptor.Id]);
            var issued = await scheme.WithdrawAsync(first);
            Assert.Equal(WithdrawalStatus.Issued, issued.Status);
            Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(first, issued.Response!));
            Assert.Equal(3, wallet.Coins.Count);
            Assert.All(wallet.Coins, c => Assert.True(c.Coin.VerifyIssuer(descriptor)));

            // Signer gone: the withdrawal is refused and says so, with nothing debited (coins are signed before the debit).
            await signer.KillAsync();
            var second = wallet.PrepareWithdrawal(new IdempotencyKey("w2"), [descriptor.Id, descriptor.Id]);
            var unavailable = await scheme.WithdrawAsync(second);
            Assert.Equal(WithdrawalStatus.SigningKeyUnavailable, unavailable.Status);
            Assert.Equal(9, (int)unavailable.Status);
            Assert.Equal(700, await scheme.GetWorkerBalanceAsync(wallet.Account));

            // Signer back on the same sealed keys: the same request issues, debited once.
            await signer.StartAsync();
            var retried = await scheme.WithdrawAsync(second);
            Assert.Equal(WithdrawalStatus.Issued, retried.Status);
            Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(second, retried.Response!));
            Assert.Equal(5, wallet.Coins.Count);
            Assert.All(wallet.Coins, c => Assert.True(c.Coin.VerifyIssuer(descriptor)));
            Assert.Equal(500, await scheme.GetWorkerBalanceAsync(wallet.Account));

            // A restarted scheme loads its signers from the process, checking each one's public key.
            using var again = new SocketKeysetSignerSource(signer.Socket);
            var restarted = world.OpenSchemeWith(again);
            await restarted.LoadKeysAsync();
            var third = wallet.PrepareWithdrawal(new IdempotencyKey("w3"), [descriptor.Id]);
            var afterRestart = await restarted.WithdrawAsync(third);
            Assert.Equal(WithdrawalStatus.Issued, afterRestart.Status);
            Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(third, afterRestart.Response!));
            Assert.True(wallet.Coins.Last().Coin.VerifyIssuer(descriptor));

            // A signer restarted between two requests leaves the scheme a dead pooled connection: the next request
            // drops it and signs on a fresh one.
            await signer.KillAsync();
            await signer.StartAsync();
            var fourth = wallet.PrepareWithdrawal(new IdempotencyKey("w4"), [descriptor.Id]);
            var afterSignerRestart = await restarted.WithdrawAsync(fourth);
            Assert.Equal(WithdrawalStatus.Issued, afterSignerRestart.Status);
            Assert.Equal(WithdrawalCompletion.Completed, wallet.CompleteWithdrawal(fourth, afterSignerRestart.Response!));
            Assert.Equal(300, await restarted.GetWorkerBalanceAsync(wallet.Account));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task ASchemeCannotStartWhileItsSignerIsUnreachable()
    {
        string root = Directory.CreateTempSubdirectory("walletcore-signer-").FullName;
        try
        {
            using var world = new KeyCustodyWorld();
            using var signers = new SocketKeysetSignerSource(Path.Combine(root, "nobody.sock"));
            await world.OpenScheme(new InMemoryKeysetKeyStore()).AnnounceKeysetAsync(new IdempotencyKey("k1"), KeyCustodyWorld.Parameters());

            var refused = await Assert.ThrowsAsync<KeysetSignerUnavailableException>(() => world.OpenSchemeWith(signers).LoadKeysAsync());

            Assert.Null(refused.Status);
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public async Task SchemeServerWithASignerSocketRunsThePilotToAuditOk()
    {
        string root = Directory.CreateTempSubdirectory("walletcore-signer-").FullName;
        try
        {
            await using var signer = new SchemeSignerChild(root);
            await signer.StartAsync();
            string data = Path.Combine(root, "data");
            int port = FreePort();
            using var server = Start(Sample("Scheme.Server"), "--data", data, "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--signer-socket", signer.Socket);
            var serverOutput = Collect(server);
            try
            {
                await WaitUntilListeningAsync(port, server);
                using var demo = Start(Sample("PortableBenefits.Demo"), "--workers", "20", "--epochs", "1", "--scheme-url", $"http://127.0.0.1:{port}", "--operator-key-file", Path.Combine(data, "operator.key"));
                var demoOutput = Collect(demo);
                using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(180));
                await demo.WaitForExitAsync(timeout.Token);
                Assert.True(demo.ExitCode == 0, demoOutput.ToString() + serverOutput);
                Assert.Contains("AUDIT OK", demoOutput.ToString(), StringComparison.Ordinal);
                Assert.Contains($"in the signing process at {signer.Socket}", serverOutput.ToString(), StringComparison.Ordinal);

                // The server keeps no keyset key; the signer holds every one, sealed.
                Assert.False(Directory.Exists(Path.Combine(data, "keysets")) && Directory.EnumerateFiles(Path.Combine(data, "keysets")).Any());
                Assert.NotEmpty(Directory.GetFiles(signer.Keys, "*.key"));
            }
            finally
            {
                server.Kill(entireProcessTree: true);
                await server.WaitForExitAsync();
            }
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
