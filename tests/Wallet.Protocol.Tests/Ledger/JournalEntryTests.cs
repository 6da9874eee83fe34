using System.Buffers.Binary;
using FsCheck;
using FsCheck.Fluent;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.LedgerFixtures;

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
    public void CreateListsClosedKeysetsInCanonicalOrderWhateverOrderTheyCameIn()
    {
        var entry = JournalEntry.Create(3, EntryKind.Expiry, Key("expiry"), When, EntryHash.Genesis,
            [new Posting(LedgerAccount.Outstanding(Keyset(2)), -20), new Posting(LedgerAccount.Outstanding(Keyset(1)), -10), new Posting(LedgerAccount.Expired, 30)],
            [],
            [Keyset(2), Keyset(1)]);

        Assert.Equal(new[] { Keyset(1), Keyset(2) }.Order(), entry.ClosedKeysets);
        Assert.True(JournalEntry.TryDecode(entry.Encode(), out var decoded));
        Assert.Equal(entry.ClosedKeysets, decoded.ClosedKeysets);
    }

    [Fact]
    public void ACoinOrAnIssueOfValueZeroCannotBeRecorded()
    {
        Assert.Throws<ArgumentOutOfRangeException>("value", () => new SpentCoin(Coin(1), Keyset(1), Amount.Zero));
        Assert.Throws<ArgumentOutOfRangeException>("value", () => new KeysetAmount(Keyset(1), Amount.Zero));
    }

    [Fact]
    public void KeysetTotalsRefuseTheEffectOfAnotherKeyset()
    {
        var effect = new KeysetEffect(Keyset(2), Pence(10), Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, false);

        Assert.Throws<ArgumentException>("effect", () => KeysetTotals.Empty(Keyset(1)).Apply(effect));
        Assert.Equal(Pence(10), KeysetTotals.Empty(Keyset(2)).Apply(effect).Issued);
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

    [Fact]
    public void BalancedPostingsThatOverflowAKeysetCounterAreRejected()
    {
        // Two issues to one keyset of long.MaxValue - 1 and long.MaxValue, balanced by a source and a provider line:
        // the running sum stays in range, the keyset's issued counter does not.
        var bytes = new HostileEntry(EntryKind.Withdrawal)
            .Posting(LedgerAccountKind.ContributionSource, "employer", -long.MaxValue)
            .Posting(LedgerAccountKind.Outstanding, Keyset(1).ToString(), long.MaxValue - 1)
            .Posting(LedgerAccountKind.Outstanding, Keyset(1).ToString(), long.MaxValue)
            .Posting(LedgerAccountKind.ProviderPayable, "p", -(long.MaxValue - 1))
            .Encode();

        Assert.False(JournalEntry.TryDecode(bytes, out _));
    }

    [Fact]
    public void IssueToOneKeysetBeyondMaxValueIsRejectedEvenWhenPostingsFitTheKind()
    {
        // In canonical order the running sum is -M, -1, M-1, 0: balanced and in range; issued to b is 2M-1.
        var keysets = new[] { Keyset(1), Keyset(2), Keyset(3) }.Select(k => k.ToString()).Order(StringComparer.Ordinal).ToArray();
        var bytes = new HostileEntry(EntryKind.Swap)
            .Posting(LedgerAccountKind.Outstanding, keysets[0], -long.MaxValue)
            .Posting(LedgerAccountKind.Outstanding, keysets[1], long.MaxValue - 1)
            .Posting(LedgerAccountKind.Outstanding, keysets[1], long.MaxValue)
            .Posting(LedgerAccountKind.Outstanding, keysets[2], -(long.MaxValue - 1))
            .Coin(1, 1, 1)
            .Encode();

        Assert.False(JournalEntry.TryDecode(bytes, out _));
    }

    [Fact]
    public void SwappedInValueBeyondMaxValueIsRejected()
    {
        var keysets = new[] { Keyset(1), Keyset(2) }.Select(k => k.ToString()).Order(StringComparer.Ordinal).ToArray();
        var bytes = new HostileEntry(EntryKind.Swap)
            .Posting(LedgerAccountKind.Outstanding, keysets[0], -5)
            .Posting(LedgerAccountKind.Outstanding, keysets[1], 5)
            .Coin(1, 1, long.MaxValue)
            .Coin(2, 1, long.MaxValue)
            .Encode();

        Assert.False(JournalEntry.TryDecode(bytes, out _));
    }

    [Theory]
    [InlineData(EntryKind.Contribution, LedgerAccountKind.Worker, LedgerAccountKind.ProviderPayable)]
    [InlineData(EntryKind.Deposit, LedgerAccountKind.Worker, LedgerAccountKind.ProviderPayable)]
    [InlineData(EntryKind.Withdrawal, LedgerAccountKind.Worker, LedgerAccountKind.ProviderPayable)]
    [InlineData(EntryKind.DefaultAllocation, LedgerAccountKind.ContributionSource, LedgerAccountKind.Worker)]
    public void PostingsThatDoNotFitTheEntryKindAreRejected(EntryKind kind, LedgerAccountKind debited, LedgerAccountKind credited)
    {
        var bytes = new HostileEntry(kind)
            .Posting(debited, debited == LedgerAccountKind.ContributionSource ? "employer" : "a", -5)
            .Posting(credited, "b", 5)
            .Coin(1, 1, 5, when: kind == EntryKind.Deposit)
            .Encode();

        Assert.False(JournalEntry.TryDecode(bytes, out _));
    }

    [Fact]
    public void EntryOfOneKindCarryingCoinsOfAnotherIsRejected()
    {
        var bytes = new HostileEntry(EntryKind.Contribution)
            .Posting(LedgerAccountKind.ContributionSource, "employer", -5)
            .Posting(LedgerAccountKind.Worker, "w", 5)
            .Coin(1, 1, 5)
            .Encode();
        var fitting = new HostileEntry(EntryKind.Contribution)
            .Posting(LedgerAccountKind.ContributionSource, "employer", -5)
            .Posting(LedgerAccountKind.Worker, "w", 5)
            .Encode();

        Assert.False(JournalEntry.TryDecode(bytes, out _));
        Assert.True(JournalEntry.TryDecode(fitting, out _));
    }

    [FsCheck.Xunit.Property(MaxTest = 300)]
    public Property HostileBytesOnlyEverDecodeOrFail()
    {
        long[] large = [1L, 4_000_000_000_000_000_000L, long.MaxValue - 1, long.MaxValue];
        LedgerAccountKind[] accounts = [LedgerAccountKind.ContributionSource, LedgerAccountKind.Worker, LedgerAccountKind.Outstanding, LedgerAccountKind.ProviderPayable, LedgerAccountKind.Expired];
        int lines = accounts.Length * 3;

        // Postings come in balancing pairs (+d to one account line, -d to another) so many entries pass the
        // balance and ordering checks and reach the counter arithmetic; each pair or coin is one integer split
        // into its parts. Coin values are all positive, several per keyset.
        var structured =
            from kind in Gen.Choose(1, 6)
            from pairCount in Gen.Choose(0, 2)
            from pairs in Gen.Choose(0, (lines * lines * large.Length) - 1).ArrayOf(pairCount)
            from coinCount in Gen.Choose(0, 3)
            from coins in Gen.Choose(0, (3 * large.Length) - 1).ArrayOf(coinCount)
            select Structured((EntryKind)kind, pairs, coins);

        (LedgerAccountKind, string) Line(int line)
        {
            var account = accounts[line / 3];
            int n = line % 3;
            return (account, account switch
            {
                LedgerAccountKind.Outstanding => Keyset(n).ToString(),
                LedgerAccountKind.ContributionSource => "employer",
                _ => $"a{n}",
            });
        }

        byte[] Structured(EntryKind kind, IEnumerable<int> pairs, IEnumerable<int> coins)
        {
            var entry = new HostileEntry(kind);
            foreach (int p in pairs)
            {
                long delta = large[p % large.Length];
                var (creditKind, creditKey) = Line(p / large.Length % lines);
                var (debitKind, debitKey) = Line(p / large.Length / lines);
                entry.Posting(creditKind, creditKey, delta).Posting(debitKind, debitKey, -delta);
            }

            int coin = 0;
            foreach (int c in coins)
            {
                entry.Coin(++coin, c / large.Length, large[c % large.Length]);
            }

            return entry.Encode();
        }

        var random = Gen.Choose(0, 255).Select(b => (byte)b).ArrayOf();
        var mutated = Gen.Choose(0, 10_000).Three().Select(t =>
        {
            byte[] encoded = Deposit().Encode();
            encoded[t.Item1 % encoded.Length] = (byte)t.Item2;
            return encoded[..(t.Item3 % (encoded.Length + 1))];
        });

        return Prop.ForAll(Gen.Frequency((3, structured), (1, random), (1, mutated)).ToArbitrary(), bytes =>
        {
            // Only true or false; any exception fails the property.
            bool decoded = JournalEntry.TryDecode(bytes, out var entry);
            return !decoded || entry!.Encode().AsSpan().SequenceEqual(bytes);
        });
    }

    /// <summary>Writes entry bytes field by field, as an attacker with write access to the store could.</summary>
    private sealed class HostileEntry(EntryKind kind)
    {
        private readonly List<(LedgerAccountKind Kind, string Key, long Delta)> _postings = [];
        private readonly List<byte[]> _coins = [];

        public HostileEntry Posting(LedgerAccountKind account, string key, long delta)
        {
            _postings.Add((account, key, delta));
            return this;
        }

        public HostileEntry Coin(long coin, int keyset, long value, bool when = true)
        {
            if (when)
            {
                _coins.Add([.. LedgerFixtures.Coin(coin).Bytes.ToArray(), .. Keyset(keyset).Bytes.ToArray(), .. I64(value)]);
            }

            return this;
        }

        public byte[] Encode()
        {
            var coins = _coins.OrderBy(c => c, Comparer<byte[]>.Create((a, b) => a.AsSpan(0, 32).SequenceCompareTo(b.AsSpan(0, 32)))).ToList();
            var bytes = new List<byte> { JournalEntry.FormatVersion };
            bytes.AddRange(I64(1));
            bytes.Add((byte)kind);
            bytes.Add(1);
            bytes.Add((byte)'k');
            bytes.AddRange(I64(0));
            bytes.AddRange(new byte[32]);
            bytes.Add((byte)(_postings.Count >> 8));
            bytes.Add((byte)_postings.Count);

            // Canonical order, so the decoder gets past its ordering check to the arithmetic behind it.
            foreach (var (account, key, delta) in _postings.OrderBy(p => p.Kind).ThenBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Delta))
            {
                bytes.AddRange([(byte)account, (byte)key.Length, .. System.Text.Encoding.ASCII.GetBytes(key), .. I64(delta)]);
            }

            bytes.AddRange([0, 0, (byte)(coins.Count >> 8), (byte)coins.Count]);
            coins.ForEach(bytes.AddRange);
            bytes.AddRange([0, 0]);
            return [.. bytes];
        }

        private static byte[] I64(long value)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            return bytes;
        }
    }
}
