// Seeded on purpose: a failing property replays from its seed. These are test data, not secrets, so the library rule
// against System.Random (src/BannedSymbols.txt) does not hold in the sample builders.
#pragma warning disable RS0030

namespace Wallet.Storage.Testing;

/// <summary>Random but valid refund messages from a seed, built on <see cref="MessageSamples"/>.</summary>
internal sealed class RefundSamples(int seed)
{
    private readonly Random _random = new(seed);
    private readonly MessageSamples _messages = new(seed);

    public ProviderRefund Refund() => Refund(out _, _random.Next(1, 4), keep: false);

    public RefundClaimRequest Claim()
    {
        var refund = Refund(out var keys, _random.Next(1, 4), keep: true);
        try
        {
            var outputs = Enumerable.Range(0, _random.Next(1, 4)).Select(_ => new WithdrawalItem(_messages.KeysetId(), BlindedMessage.FromBytes(_messages.Bytes(256)))).ToList();
            return RefundClaimRequest.Sign(new IdempotencyKey(_messages.Token()), refund, outputs, keys);
        }
        finally
        {
            keys.ForEach(k => k.Dispose());
        }
    }

    public RefundClaimResponse Response()
    {
        using var key = Ed25519SigningKey.Generate();
        var sigs = Enumerable.Range(0, _random.Next(1, 5)).Select(_ => BlindSignature.FromBytes(_messages.Bytes(256))).ToList();
        return RefundClaimResponse.Sign(_messages.Bytes(32), new RefundId(_messages.Bytes(32)), Amount.FromMinorUnits(_random.NextInt64(1, long.MaxValue)), sigs, _messages.Time(), key);
    }

    public LogEntry LogEntry() => Wallet.Protocol.Log.LogEntry.ForRefund(new RefundRecord(
        _messages.Time(),
        new AccountId(_messages.Token()),
        Amount.FromMinorUnits(_random.NextInt64(1, long.MaxValue)),
        [.. Enumerable.Range(0, _random.Next(1, 4)).Select(_ => (_messages.KeysetId(), _random.Next(1, 257)))]));

    // A refund of coins whose keys are fresh (the claim signs with them); the keys are disposed by the caller when kept.
    private ProviderRefund Refund(out List<Ed25519SigningKey> coinKeys, int coins, bool keep)
    {
        var keys = Enumerable.Range(0, coins).Select(_ => Ed25519SigningKey.Generate()).ToList();
        using var provider = Ed25519SigningKey.Generate();
        var ids = keys.Select(k => new CoinId(k.PublicKey.AsSpan())).ToList();
        var refund = ProviderRefund.Sign(new RefundId(_messages.Bytes(32)), new AccountId(_messages.Token()), new PaymentId(_messages.Bytes(32)), ids, Amount.FromMinorUnits(_random.NextInt64(1, long.MaxValue)), _messages.Time(), provider);

        // Order the keys as the refund orders its coins, so a claim can sign with them in turn.
        coinKeys = [.. refund.Coins.Select(id => keys.Single(k => k.PublicKey.AsSpan().SequenceEqual(id.Bytes)))];
        if (!keep)
        {
            keys.ForEach(k => k.Dispose());
        }

        return refund;
    }
}
