using BenchmarkDotNet.Attributes;
using Wallet.Benchmarks.Protocol;
using Wallet.Protocol;
using Wallet.Protocol.Log;
using Wallet.Protocol.Swaps;

namespace Wallet.Benchmarks.Swaps;

/// <summary>A 16-coin swap request: wallet preparation, encode/decode, verification of every input's spend signature.</summary>
[MemoryDiagnoser]
public class SwapBenchmarks
{
    private ProtocolBenchmarkWorld _world = null!;
    private SwapRequest _swap = null!;
    private byte[] _encoded = null!;
    private LogEntry _entry = null!;
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _world = new ProtocolBenchmarkWorld();
        var request = _world.PrepareWithdrawal(32);
        var response = _world.Scheme.WithdrawAsync(request).GetAwaiter().GetResult().Response!;
        if (_world.Wallet.CompleteWithdrawal(request, response) != Wallet.Protocol.Wallets.WithdrawalCompletion.Completed)
        {
            throw new InvalidOperationException("withdrawal failed");
        }

        _swap = PrepareSwap16();
        _encoded = _swap.Encode();
        _entry = LogEntry.ForSwap(new SwapRecord(DateTimeOffset.UnixEpoch, false, _swap.Inputs, [(_world.Keyset.Id, _swap.Outputs.Length)]));
    }

    [GlobalCleanup]
    public void Cleanup() => _world.Dispose();

    [Benchmark]
    public SwapRequest PrepareSwap16()
    {
        // Abandoning keeps the same 16 coins available, so every iteration does the same work.
        var key = new IdempotencyKey($"b{_next++}");
        var swap = _world.Wallet.PrepareChange(key, Amount.FromMinorUnits(1600), [_world.Keyset.Id]).Request!;
        _world.Wallet.AbandonSwap(key);
        return swap;
    }

    [Benchmark]
    public SwapRequest DecodeSwap16() => SwapRequest.Decode(_encoded);

    [Benchmark]
    public bool VerifySpends16()
    {
        bool all = true;
        for (int i = 0; i < _swap.Inputs.Length; i++)
        {
            all &= _swap.VerifySpend(i);
        }

        return all;
    }

    [Benchmark]
    public byte[] EncodeSwapLogEntry() => _entry.Encode();
}
