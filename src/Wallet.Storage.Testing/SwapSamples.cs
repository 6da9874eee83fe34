// Seeded on purpose: a failing property replays from its seed. These are test data, not secrets, so the library rule
// against System.Random (src/BannedSymbols.txt) does not hold in the sample builders.
#pragma warning disable RS0030

namespace Wallet.Storage.Testing;

/// <summary>Random but valid swap messages from a seed, built on <see cref="MessageSamples"/>.</summary>
internal sealed class SwapSamples(int seed)
{
    private readonly Random _random = new(seed);
    private readonly MessageSamples _messages = new(seed);

    public SwapRequest Swap()
    {
        var keys = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => Ed25519SigningKey.Generate()).ToList();
        try
        {
            var coins = keys.Select(k => new Coin(_messages.KeysetId(), new CoinId(k.PublicKey.AsSpan()), _messages.Bytes(_random.Next(1, 300)))).ToList();
            return SwapRequest.Sign(new IdempotencyKey(_messages.Token()), coins, Outputs(), keys);
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    public SwapSpend Spend() => Swap().Spend(0);

    public RecoveryRequest Recovery()
    {
        using var key = Ed25519SigningKey.Generate();
        var items = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => new RecoveryItem(_messages.Coin(), _messages.Bytes(_random.Next(1, 65)), _messages.Bytes(_random.Next(1, 300)))).ToList();
        return RecoveryRequest.Sign(new AccountId(_messages.Token()), new IdempotencyKey(_messages.Token()), items, Outputs(), _messages.Time(), key);
    }

    public SwapResponse Response()
    {
        using var key = Ed25519SigningKey.Generate();
        var sigs = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => BlindSignature.FromBytes(_messages.Bytes(256))).ToList();
        return SwapResponse.Sign(_messages.Bytes(32), Amount.FromMinorUnits(_random.NextInt64(0, long.MaxValue)), sigs, _messages.Time(), key);
    }

    public SwapDoubleSpendProof Proof() => _random.Next(2) == 0 ? new SwapDoubleSpendProof(_messages.Spend(), Spend()) : new SwapDoubleSpendProof(Spend(), Spend());

    public LogEntry LogEntry() => Wallet.Protocol.Log.LogEntry.ForSwap(new SwapRecord(
        _messages.Time(),
        _random.Next(2) == 0,
        [.. Enumerable.Range(0, _random.Next(1, 4)).Select(_ => _messages.Coin())],
        [.. Enumerable.Range(0, _random.Next(1, 4)).Select(_ => (_messages.KeysetId(), _random.Next(1, 257)))]));

    private List<WithdrawalItem> Outputs() =>
        [.. Enumerable.Range(0, _random.Next(1, 4)).Select(_ => new WithdrawalItem(_messages.KeysetId(), BlindedMessage.FromBytes(_messages.Bytes(256))))];
}
