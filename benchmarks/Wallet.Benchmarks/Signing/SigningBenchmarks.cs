using BenchmarkDotNet.Attributes;
using Wallet.Crypto.Seeds;
using Wallet.Crypto.Signing;

namespace Wallet.Benchmarks.Signing;

/// <summary>Ed25519 sign/verify over a 64-byte structure, and deriving one coin's secrets from a seed.</summary>
[MemoryDiagnoser]
public class SigningBenchmarks
{
    private readonly SignatureDomain _domain = new("PB1/withdrawal-receipt", 1);
    private readonly byte[] _keysetId = new byte[32];
    private byte[] _message = [];
    private byte[] _signature = [];
    private Ed25519SigningKey _key = null!;
    private WalletSeed _seed = null!;
    private CoinSecrets _coin = null!;
    private byte[] _modulus = [];
    private readonly byte[] _context = new byte[32];
    private byte[] _blindingFactor = [];
    private ulong _counter;

    [GlobalSetup]
    public void Setup()
    {
        _message = new byte[64];
        _message.AsSpan().Fill(0x5a);
        _key = Ed25519SigningKey.Generate();
        _signature = _key.Sign(_domain, _message);
        _seed = WalletSeed.Generate();
        _coin = _seed.DeriveCoin(_keysetId, 0);
        _modulus = new byte[256];
        _modulus.AsSpan().Fill(0xc3);
        _blindingFactor = new byte[256];
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _coin.Dispose();
        _seed.Dispose();
        _key.Dispose();
    }

    [Benchmark]
    public byte[] Sign() => _key.Sign(_domain, _message);

    [Benchmark]
    public bool Verify() => _key.PublicKey.Verify(_domain, _message, _signature);

    [Benchmark]
    public void DeriveCoin()
    {
        using CoinSecrets coin = _seed.DeriveCoin(_keysetId, _counter++);
    }

    [Benchmark]
    public void DeriveBlindingFactor2048() => _coin.DeriveBlindingFactor(_modulus, _context, (uint)_counter++, _blindingFactor);

    [Benchmark]
    public string BackupCode() => _seed.ToBackupCode();
}
