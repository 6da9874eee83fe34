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
        var bytes = new HostileEntry(EntryKind.Swap)
            .Posting(LedgerAccountKind.Outstanding, Keyset(1).ToString(), -long.MaxValue)
            .Posting(LedgerAccountKind.Outstanding, Keyset(2).ToString(), long.MaxValue)
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
        long[] large = [long.MinValue, -long.MaxValue, -4_000_000_000_000_000_000L, -1L, 1L, 4_000_000_000_000_000_000L, long.MaxValue - 1, long.MaxValue];
        LedgerAccountKind[] accounts = [LedgerAccountKind.ContributionSource, LedgerAccountKind.Worker, LedgerAccountKind.Outstanding, LedgerAccountKind.ProviderPayable, LedgerAccountKind.Expired];

        // Each posting and coin is one integer split into its parts: account kind, account number, delta.
        var structured =
            from kind in Gen.Choose(1, 6)
            from postings in Gen.Choose(0, (accounts.Length * 3 * large.Length) - 1).ListOf()
            from coins in Gen.Choose(0, (4 * large.Length) - 1).ListOf()
            select Structured((EntryKind)kind, postings, coins);

        byte[] Structured(EntryKind kind, IEnumerable<int> postings, IEnumerable<int> coins)
        {
            var entry = new HostileEntry(kind);
            foreach (int p in postings.Distinct().Order())
            {
                var account = accounts[p / (3 * large.Length)];
                int n = (p / large.Length) % 3;
                string key = account switch
                {
                    LedgerAccountKind.Outstanding => Keyset(n).ToString(),
                    LedgerAccountKind.ContributionSource => "employer",
                    _ => $"a{n}",
                };
                entry.Posting(account, key, large[p % large.Length]);
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

        return Prop.ForAll(Gen.OneOf(structured, random, mutated).ToArbitrary(), bytes =>
        {
            // Only true or false; any exception fails the property.
            bool decoded = JournalEntry.TryDecode(bytes, out var entry);
            return !decoded || entry!.Encode().AsSpan().SequenceEqual(bytes);
        });
    }

    /// <summary>Writes entry bytes field by field, as an attacker with write access to the store could.</summary>
    private sealed class HostileEntry(EntryKind kind)
    {
        private readonly List<byte[]> _postings = [];
        private readonly List<byte[]> _coins = [];

        public HostileEntry Posting(LedgerAccountKind account, string key, long delta)
        {
            _postings.Add([(byte)account, (byte)key.Length, .. System.Text.Encoding.ASCII.GetBytes(key), .. I64(delta)]);
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
            _postings.ForEach(bytes.AddRange);
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
