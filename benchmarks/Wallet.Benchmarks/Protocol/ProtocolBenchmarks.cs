using BenchmarkDotNet.Attributes;
using Wallet.Protocol;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Log;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Benchmarks.Protocol;

/// <summary>Coin verification (issuer RSA + spend Ed25519), a coin spend's encode/decode, and an auditor replay.</summary>
[MemoryDiagnoser]
public class ProtocolBenchmarks
{
    private ProtocolBenchmarkWorld _world = null!;
    private CoinSpend _spend = null!;
    private byte[] _encodedSpend = null!;
    private List<LogEntry> _entries = null!;
    private LogAuditor _auditor = null!;

    [GlobalSetup]
    public void Setup()
    {
        _world = new ProtocolBenchmarkWorld();
        var request = _world.PrepareWithdrawal(16);
        var response = _world.Scheme.WithdrawAsync(request).GetAwaiter().GetResult().Response!;
        if (_world.Wallet.CompleteWithdrawal(request, response) != Wallet.Protocol.Wallets.WithdrawalCompletion.Completed)
        {
            throw new InvalidOperationException("withdrawal failed");
        }

        _spend = _world.Payments(_world.Wallet.Coins, 1)[0].Spends[0];
        _encodedSpend = _spend.Encode();
        var deposit = new Wallet.Protocol.Deposits.DepositRequest(_world.Provider.Record.Id, new IdempotencyKey("bench"), [.. _world.Payments(_world.Wallet.Coins, 16)[0].Spends]);
        _ = _world.Scheme.DepositAsync(deposit).GetAwaiter().GetResult();
        _entries = _world.LogEntries();
        _auditor = new LogAuditor(_world.Scheme.PublicKey, _world.AccreditationKey.PublicKey);
    }

    [GlobalCleanup]
    public void Cleanup() => _world.Dispose();

    [Benchmark]
    public bool VerifyCoin() => _spend.Coin.VerifyIssuer(_world.Keyset) && _spend.VerifySpendSignature();

    [Benchmark]
    public CoinSpend DecodeSpend() => CoinSpend.Decode(_encodedSpend);

    [Benchmark]
    public bool AuditReplay() => _auditor.Audit(_entries, []).IsClean;

    [Benchmark]
    public WithdrawalRequest PrepareWithdrawal16() => _world.PrepareWithdrawal(16);
}
