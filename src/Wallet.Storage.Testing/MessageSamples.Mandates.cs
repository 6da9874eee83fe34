// Seeded on purpose: a failing property replays from its seed. These are test data, not secrets, so the library rule
// against System.Random (src/BannedSymbols.txt) does not hold in the sample builders.
#pragma warning disable RS0030

namespace Wallet.Storage.Testing;

/// <summary>Samples of the dues mandate messages (docs/PROTOCOL.md 5.19).</summary>
internal sealed partial class MessageSamples
{
    public DuesMandate Mandate()
    {
        using var key = Ed25519SigningKey.Generate();
        var start = Time();
        uint period = (uint)_random.NextInt64(DuesMandate.MinPeriodSeconds, DuesMandate.MaxPeriodSeconds + 1);
        uint window = (uint)_random.NextInt64(1, period + 1);
        DateTimeOffset? end = _random.Next(2) == 0 ? null : start.AddSeconds(_random.Next(1, 100_000_000));
        return DuesMandate.Sign(new MandateId(Bytes(32)), new AccountId(Token()), Bytes(_random.Next(1, DuesMandate.MaxMemberReferenceLength + 1)), Positive(), Token(), TimeSpan.FromSeconds(period), TimeSpan.FromSeconds(window), start, end, key);
    }

    public PaidUpStatement PaidUp()
    {
        using var key = Ed25519SigningKey.Generate();
        var mandate = Mandate();
        uint paid = 0;
        while (_random.Next(3) != 0 && mandate.Covers(paid) && paid < 40)
        {
            paid++;
        }

        return PaidUpStatement.Sign(mandate, paid, Time(), key);
    }
}
