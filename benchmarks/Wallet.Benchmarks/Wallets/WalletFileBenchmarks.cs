using BenchmarkDotNet.Attributes;
using Wallet.Benchmarks.Protocol;
using Wallet.Crypto.SealedFiles;
using Wallet.Protocol.Wallets;

namespace Wallet.Benchmarks.Wallets;

/// <summary>The wallet file: state encode and decode (which re-derives every coin from the seed) and a sealed save and load at the cheapest Argon2id cost.</summary>
[MemoryDiagnoser]
public class WalletFileBenchmarks
{
    private static readonly SealedFileParameters Cheapest = new(SealedFileParameters.MinMemoryKiB, SealedFileParameters.MinIterations);

    private ProtocolBenchmarkWorld _world = null!;
    private byte[] _state = null!;
    private string _path = null!;

    [Params(256)]
    public int Coins { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _world = new ProtocolBenchmarkWorld();
        var request = _world.PrepareWithdrawal(Coins);
        var response = _world.Scheme.WithdrawAsync(request).GetAwaiter().GetResult().Response!;
        if (_world.Wallet.CompleteWithdrawal(request, response) != WithdrawalCompletion.Completed)
        {
            throw new InvalidOperationException("withdrawal failed");
        }

        _state = _world.Wallet.ExportState();
        _path = Path.Combine(Directory.CreateTempSubdirectory("walletbench-").FullName, "wallet.pb1");
        _world.Wallet.SaveAsync(_path, "benchmark", Cheapest).GetAwaiter().GetResult();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        Directory.Delete(Path.GetDirectoryName(_path)!, recursive: true);
        _world.Dispose();
    }

    [Benchmark]
    public byte[] ExportState() => _world.Wallet.ExportState();

    [Benchmark]
    public void ImportState()
    {
        using var wallet = WorkerWallet.ImportState(_state, _world.Seed, _world.AccountKey, _world.Scheme.PublicKey, _world.AccreditationKey.PublicKey, TimeProvider.System);
    }

    [Benchmark]
    public void SaveSealed() => _world.Wallet.SaveAsync(_path, "benchmark", Cheapest).GetAwaiter().GetResult();

    [Benchmark]
    public void LoadSealed()
    {
        using var wallet = WorkerWallet.LoadAsync(_path, "benchmark", _world.Seed, _world.AccountKey, _world.Scheme.PublicKey, _world.AccreditationKey.PublicKey, TimeProvider.System).GetAwaiter().GetResult();
    }

    [Benchmark]
    public void SaveAndLoadAtTheDefaultArgon2Cost()
    {
        _world.Wallet.SaveAsync(_path + ".default", "benchmark").GetAwaiter().GetResult();
        using var wallet = WorkerWallet.LoadAsync(_path + ".default", "benchmark", _world.Seed, _world.AccountKey, _world.Scheme.PublicKey, _world.AccreditationKey.PublicKey, TimeProvider.System).GetAwaiter().GetResult();
    }
}
