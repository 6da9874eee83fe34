using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Wallet.Protocol.Ledger;
using static Wallet.Protocol.Tests.Ledger.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

public sealed class JournalEntryTests
{
    private static readonly DateTimeOffset When = new(2026, 4, 1, 12, 0, 0, 123, TimeSpan.Zero);

    private static JournalEntry Deposit(long sequence = 7, EntryHash? previous = null) => JournalEntry.Create(
        sequence,
        EntryKind.Deposit,
        Key("deposit-1"),
        When,
        previous ?? EntryHash.Genesis,
        [new Posting(LedgerAccount.Provider(Provider(1)), 30), new Posting(LedgerAccount.Outstanding(Keyset(1)), -10), new Posting(LedgerAccount.Outstanding(Keyset(2)), -20)],
        [Spent(2, 2, 20), Spent(1, 1, 10)],
        []);

    [Fact]
    public void EncodingRoundTripsToSameBytesAndHash()
    {
        var entry = Deposit();

        Assert.True(JournalEntry.TryDecode(entry.Encode(), out var decoded));
        Assert.Equal(entry.Encode(), decoded.Encode());
        Assert.Equal(entry.Hash, decoded.Hash);
        Assert.Equal(entry.Postings, decoded.Postings);
        Assert.Equal(entry.SpentCoins, decoded.SpentCoins);
        Assert.Equal(When, decoded.Timestamp);
    }

    [Fact]
    public void PartsAreStoredInCanonicalOrder()
    {
        var entry = Deposit();

        Assert.Equal(entry.Postings.OrderBy(p => p.Account), entry.Postings);
        Assert.Equal(entry.SpentCoins.OrderBy(c => c.Coin), entry.SpentCoins);
    }

    [Fact]
    public void HashCoversPreviousHash()
    {
        var first = Deposit();
        var chained = Deposit(previous: first.Hash);

        Assert.NotEqual(first.Hash, chained.Hash);
        Assert.Equal(first.Hash, chained.PreviousHash);
    }

    [Fact]
    public void UnbalancedEntryCannotBeCreated() =>
        Assert.Throws<InvalidOperationException>(() => JournalEntry.Create(1, EntryKind.Contribution, Key("k"), When, EntryHash.Genesis,
            [new Posting(LedgerAccount.Worker(Worker(1)), 5), new Posting(LedgerAccount.Contribution(ContributionSource.State), -4)], [], []));

    [Fact]
    public void TrailingByteIsRejected()
    {
        byte[] encoded = [.. Deposit().Encode(), 0];

        Assert.False(JournalEntry.TryDecode(encoded, out _));
    }

    [Fact]
    public void UnknownVersionIsRejected()
    {
        byte[] encoded = Deposit().Encode();
        encoded[0] = 2;

        Assert.False(JournalEntry.TryDecode(encoded, out _));
    }

    [Fact]
    public void AlteredDeltaThatUnbalancesIsRejected()
    {
        byte[] encoded = Deposit().Encode();
        var entry = Deposit();

        // The last posting delta sits just before the u32 coin count; add one to it.
        int coinCount = encoded.Length - 2 - (entry.SpentCoins.Count * (32 + 32 + 8)) - 4;
        long delta = BinaryPrimitives.ReadInt64BigEndian(encoded.AsSpan(coinCount - 8));
        BinaryPrimitives.WriteInt64BigEndian(encoded.AsSpan(coinCount - 8), delta + 1);

        Assert.False(JournalEntry.TryDecode(encoded, out _));
    }

    [Fact]
    public void EffectsCountDepositsPerKeyset()
    {
        var effects = Deposit().KeysetEffects;

        Assert.Equal([Pence(10), Pence(20)], effects.OrderBy(e => e.Deposited).Select(e => e.Deposited));
        Assert.All(effects, e => Assert.Equal(Amount.Zero, e.Issued));
    }

    [FsCheck.Xunit.Property(MaxTest = 200)]
    public Property TruncatedOrCorruptedEncodingNeverThrows() =>
        Prop.ForAll(Gen.Choose(0, 10_000).Two().ToArbitrary(), pair =>
        {
            byte[] encoded = Deposit().Encode();
            int cut = pair.Item1 % (encoded.Length + 1);
            byte[] mutated = encoded[..cut];
            if (mutated.Length > 0)
            {
                mutated[pair.Item2 % mutated.Length] ^= (byte)(1 + (pair.Item2 % 255));
            }

            // Either rejected, or (flipping a byte that keeps it canonical) decoded to something with a different hash.
            return !JournalEntry.TryDecode(mutated, out var decoded) || decoded.Hash != Deposit().Hash;
        });
}
