using BenchmarkDotNet.Attributes;
using Wallet.Benchmarks.Protocol;
using Wallet.Crypto.Merkle;
using Wallet.Protocol;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Benchmarks.Http;

/// <summary>
/// The same scheme calls in process and over HTTP on loopback: an 8-coin withdrawal (request prepared inside the
/// benchmark for both), a signed tree head, and a 64-coin spent query. The difference is the HTTP binding's cost.
/// </summary>
[MemoryDiagnoser]
public class HttpBenchmarks
{
    private ProtocolBenchmarkWorld _world = null!;
    private LoopbackSchemeServer _server = null!;
    private List<CoinId> _coins = null!;

    [GlobalSetup]
    public void Setup()
    {
        _world = new ProtocolBenchmarkWorld();
        _server = LoopbackSchemeServer.Start(_world.Scheme);
        _coins = [.. Enumerable.Range(0, 64).Select(i => new CoinId(Enumerable.Repeat((byte)i, 32).ToArray()))];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _server.Dispose();
        _world.Dispose();
    }

    [Benchmark(Baseline = true)]
    public WithdrawalResult WithdrawInProcess() => _world.Scheme.WithdrawAsync(_world.PrepareWithdrawal(8)).GetAwaiter().GetResult();

    [Benchmark]
    public WithdrawalResult WithdrawOverHttp() => _server.Client.WithdrawAsync(_world.PrepareWithdrawal(8)).GetAwaiter().GetResult();

    [Benchmark]
    public SignedTreeHead TreeHeadInProcess() => _world.Scheme.GetTreeHeadAsync().GetAwaiter().GetResult();

    [Benchmark]
    public SignedTreeHead TreeHeadOverHttp() => _server.Client.GetTreeHeadAsync().GetAwaiter().GetResult();

    [Benchmark]
    public IReadOnlyList<bool> AreSpentOverHttp() => _server.Client.AreSpentAsync(_coins).GetAwaiter().GetResult();
}
