using System.Diagnostics;
using System.Globalization;
using Wallet.Benchmarks.BlindRsa;
using Wallet.Benchmarks.Quick;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Keysets;

namespace Wallet.Benchmarks.Load;

/// <summary>
/// Issue 21's headline figure: the whole product under mixed load. samples/Scheme.Server runs as its own process on
/// SQLite files; this process plays <see cref="MixedLoad.Wallets"/> worker wallets and <see cref="MixedLoad.Providers"/>
/// accredited providers over loopback HTTP for a fixed time (<see cref="MixedLoadWorld"/>, <see cref="MixedLoadGenerator"/>,
/// shared with <see cref="NodesQuickSuite"/>). Each wallet repeats a cycle in the pilot's proportions (withdraw
/// <see cref="MixedLoad.WithdrawCoins"/> coins, pay a provider <see cref="MixedLoad.PayCoins"/> coins, swap
/// <see cref="MixedLoad.SwapCoins"/> coins for change) while each provider verifies the payments it is handed and
/// deposits them in batches.
/// In the same run, the crypto bound is measured: the same cycle's bare cryptography (blinding, blind signing,
/// finalising, coin and spend verification at every party that verifies, the request and receipt signatures) on every
/// core at once, with nothing else, just before and just after the load. The paired line `# ratio mixed-load` is coins
/// issued per second end to end against that bound (issue 21 target: at least 0.7). On a machine shared with other
/// work, throughput says little; the note `CPU per wallet cycle` compares the CPU the server and the generator spent
/// per cycle with the CPU of the bare cryptography per cycle, which is what the ratio would read with the cores free.
/// </summary>
public sealed class MixedLoadQuickSuite : IQuickSuite
{
    private const int IssuedPerCycle = MixedLoad.IssuedPerCycle;
    private const int PayCoins = MixedLoad.PayCoins;
    private const int SwapCoins = MixedLoad.SwapCoins;
    private static readonly TimeSpan Window = MixedLoad.Window;

    /// <inheritdoc />
    public string Name => "mixed-load";

    /// <inheritdoc />
    public void Run(QuickReporter report) => RunAsync(report).GetAwaiter().GetResult();

    private static async Task RunAsync(QuickReporter report)
    {
        // A diagnostic, not part of quick mode: WALLETCORE_MIXED_LOAD_SERVER="--in-memory" runs the same load against a
        // server without stores, which separates the stores' durable commits from the rest of the cost.
        string[] serverArguments = (Environment.GetEnvironmentVariable("WALLETCORE_MIXED_LOAD_SERVER") ?? string.Empty).Split(' ', StringSplitOptions.RemoveEmptyEntries);
        string stores = serverArguments.Contains("--in-memory") ? "memory-http" : "sqlite-http";
        using var server = SchemeServerProcess.Start(AppContext.BaseDirectory, serverArguments);
        using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 64 });
        SchemeServerProcess[] nodes = [server];
        using var world = await MixedLoadWorld.OpenAsync(http, nodes);

        // The bound is measured just before and just after the load and averaged, so that a change in what else
        // runs on the machine during the suite weighs on both sides of the ratio alike.
        var (boundBefore, boundCpuBefore) = CryptoBound(world.Keyset);
        var load = await MixedLoadGenerator.RunAsync(nodes, world);
        var (boundAfter, boundCpuAfter) = CryptoBound(world.Keyset);
        double bound = (boundBefore + boundAfter) / 2;
        double boundCpu = (boundCpuBefore + boundCpuAfter) / 2;
        double issued = load.IssuedPerSecond;
        double deposited = load.DepositedPerSecond;
        double boundIssued = bound * IssuedPerCycle;
        report.Line("mixed-load-issued", IssuedPerCycle, stores, issued);
        report.Line("mixed-load-deposited", PayCoins, stores, deposited);
        report.Line("crypto-bound-issued", IssuedPerCycle, "bare", boundIssued);
        MixedLoad.ReportLatencies(report, "mixed-load", load.Latencies);
        report.Note(string.Create(CultureInfo.InvariantCulture, $"mixed-load CPU over {Window.TotalSeconds:F0} s on {Environment.ProcessorCount} cores: server {load.ServerCpu.TotalSeconds:F1} s, load generator {load.GeneratorCpu.TotalSeconds:F1} s ({100 * (load.ServerCpu + load.GeneratorCpu).TotalSeconds / (Window.TotalSeconds * Environment.ProcessorCount):F0} % of the machine); {load.Failures} failed calls; the generator's JIT compiled {load.GeneratorJitMethods} methods in {load.GeneratorJitTime.TotalMilliseconds:F0} ms of the window"));
        // CPU per wallet cycle (coins issued in the window / 10), which a machine shared with other work distorts far
        // less than throughput: the server's and the generator's against the bare cryptography's (process CPU time
        // over the bound's runs). Their quotient is what the ratio would read with the cores to ourselves.
        double cycles = Math.Max(1.0, (double)load.IssuedCoins / IssuedPerCycle);
        double serverMs = 1000 * load.ServerCpu.TotalSeconds / cycles, generatorMs = 1000 * load.GeneratorCpu.TotalSeconds / cycles;
        report.Note(string.Create(CultureInfo.InvariantCulture, $"mixed-load CPU per wallet cycle: server {serverMs:F1} ms, load generator {generatorMs:F1} ms, bare cryptography {boundCpu:F1} ms; CPU ratio {boundCpu / (serverMs + generatorMs):F2}"));
        report.Note(string.Create(CultureInfo.InvariantCulture, $"ratio mixed-load = {issued / boundIssued:F2} (coins issued end to end {issued:F0}/s against the crypto bound {boundIssued:F0}/s on {Environment.ProcessorCount} cores, same run, mean of {boundBefore * IssuedPerCycle:F0}/s before and {boundAfter * IssuedPerCycle:F0}/s after the load; target >= 0.70); deposited {deposited:F0} coins/s"));
    }

    // The bare cryptography of one wallet cycle, run on every core at once for a fixed time: cycles per second, and the
    // process CPU time per cycle (warm-up included on both sides of that quotient).
    private static (double CyclesPerSecond, double CpuMsPerCycle) CryptoBound(KeysetDescriptor keyset)
    {
        using var rsa = BlindRsaPrivateKey.ImportPkcs8(BlindRsaFixture.Pkcs8(2048));
        var algorithm = keyset.Algorithm;
        byte[] keysetId = keyset.Id.Bytes.ToArray();
        int threads = Environment.ProcessorCount;
        long total = 0, all = 0;
        var duration = TimeSpan.FromSeconds(3);
        var workers = Enumerable.Range(0, threads).Select(t => new Thread(() =>
        {
            var signer = new BlindRsaSigner(rsa);
            var clientRsa = new BlindRsaClient(algorithm, rsa.PublicKey);
            var verifier = new BlindRsaVerifier(algorithm, rsa.PublicKey);
            using var seed = WalletSeed.Generate();
            using var account = Ed25519SigningKey.Generate();
            ulong counter = 0;
            long cycles = 0;
            var finals = new List<(byte[] Message, byte[] Signature, byte[] CoinId, byte[] SpendSignature)>();
            var body = new byte[160];
            var timer = Stopwatch.StartNew();
            var measuredFrom = TimeSpan.FromSeconds(0.5);
            while (timer.Elapsed < duration + measuredFrom)
            {
                finals.Clear();
                // The account-signed withdrawal request, the provider's payment request, the scheme's withdrawal receipt and
                // its signed swap response: each signed once, verified once.
                for (int s = 0; s < 4; s++)
                {
                    byte[] signature = account.Sign(CoinSpend.Domain, body);
                    Require(account.PublicKey.Verify(CoinSpend.Domain, body, signature));
                }

                // Issuing (withdrawal and swap outputs): derive, blind, blind-sign, finalize (which verifies).
                for (int c = 0; c < IssuedPerCycle; c++)
                {
                    using var secrets = seed.DeriveCoin(keysetId, counter++);
                    byte[] coinId = secrets.PublicKey.ToArray();
                    using var state = clientRsa.PrepareAndBlind(Coin.BuildMessage(keyset.Id, new CoinId(coinId)), secrets);
                    byte[] final = clientRsa.Finalize(state, signer.BlindSign(state.BlindedMessage));
                    if (finals.Count < PayCoins + SwapCoins)
                    {
                        finals.Add((state.ExportPreparedMessage(), final, coinId, secrets.SigningKey.Sign(CoinSpend.Domain, body)));
                    }
                }

                // Spending: the paid coins are verified by the provider and again by the scheme at deposit; the swapped
                // coins by the scheme.
                for (int c = 0; c < finals.Count; c++)
                {
                    var (message, signature, coinId, spend) = finals[c];
                    for (int v = 0; v < (c < PayCoins ? 2 : 1); v++)
                    {
                        Require(verifier.Verify(message, signature));
                        Require(Ed25519PublicKey.TryImport(coinId, out var key) && key.Verify(CoinSpend.Domain, body, spend));
                    }
                }

                if (timer.Elapsed >= measuredFrom)
                {
                    cycles++;
                }

                Interlocked.Increment(ref all);
            }

            Interlocked.Add(ref total, cycles);
        })).ToList();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime;
        workers.ForEach(w => w.Start());
        workers.ForEach(w => w.Join());
        cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu;
        return (total / duration.TotalSeconds, cpu.TotalMilliseconds / Math.Max(1, all));
    }

    private static void Require(bool condition)
    {
        if (!condition)
        {
            throw new InvalidOperationException("bare cryptography failed");
        }
    }
}
