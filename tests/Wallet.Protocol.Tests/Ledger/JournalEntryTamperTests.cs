using System.Buffers.Binary;
using System.Text;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Testing;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// Entry bytes as someone with write access to a store could leave them: each is written field by field in exactly
/// the order given (no sorting), and <see cref="JournalEntry.TryDecode"/> must refuse every one that is unbalanced,
/// out of canonical order, out of range or of the wrong shape for its kind, and accept the boundary cases that are
/// valid.
/// </summary>
public sealed class JournalEntryTamperTests
{
    private static readonly string K1 = Keyset(1).ToString();
    private static readonly string K2 = Keyset(2).ToString();

    [Fact]
    public void PostingsWhoseSumWrapsAroundTheRangeOfA64BitIntegerAreUnbalanced()
    {
        // MaxValue + MaxValue + 2 is 2^64, which an unchecked sum would wrap to zero.
        var bytes = new Bytes(EntryKind.Contribution)
            .Posting(LedgerAccountKind.Worker, "a", long.MaxValue)
            .Posting(LedgerAccountKind.Worker, "b", long.MaxValue)
            .Posting(LedgerAccountKind.Worker, "c", 2);

        Assert.False(JournalEntry.TryDecode(bytes.Encode(), out _));
    }

    [Fact]
    public void DebitOfLongMinValueBalancedExactlyIsAccepted()
    {
        // The balance check is exact at the bottom of the range: MinValue + MaxValue + 1 is zero, and nothing on
        // the way overflows.
        var bytes = new Bytes(EntryKind.Contribution)
            .Posting(LedgerAccountKind.ContributionSource, "employer", long.MinValue)
            .Posting(LedgerAccountKind.Worker, "a", long.MaxValue)
            .Posting(LedgerAccountKind.Worker, "b", 1);

        Assert.True(JournalEntry.TryDecode(bytes.Encode(), out var entry));
        Assert.Equal(long.MinValue, entry.Postings[0].Delta);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(-1)]
    [InlineData(long.MaxValue)]
    public void UnbalancedPostingsAreRefused(long surplus)
    {
        var bytes = new Bytes(EntryKind.Contribution)
            .Posting(LedgerAccountKind.ContributionSource, "employer", -10)
            .Posting(LedgerAccountKind.Worker, "a", unchecked(10 + surplus));

        Assert.False(JournalEntry.TryDecode(bytes.Encode(), out _));
    }

    [Fact]
    public void BalancedPostingsInCanonicalOrderAreAccepted()
    {
        var bytes = new Bytes(EntryKind.Contribution)
            .Posting(LedgerAccountKind.ContributionSource, "employer", -10)
            .Posting(LedgerAccountKind.Worker, "a", 4)
            .Posting(LedgerAccountKind.Worker, "b", 6);

        Assert.True(JournalEntry.TryDecode(bytes.Encode(), out var entry));
        Assert.Equal(bytes.Encode(), entry.Encode());
    }

    [Fact]
    public void PostingsOutOfAccountOrderAreRefused()
    {
        var bytes = new Bytes(EntryKind.Contribution)
            .Posting(LedgerAccountKind.ContributionSource, "employer", -10)
            .Posting(LedgerAccountKind.Worker, "b", 6)
            .Posting(LedgerAccountKind.Worker, "a", 4);

        Assert.False(JournalEntry.TryDecode(bytes.Encode(), out _));
    }

    [Fact]
    public void PostingsOutOfAccountKindOrderAreRefused()
    {
        var bytes = new Bytes(EntryKind.Contribution)
            .Posting(LedgerAccountKind.Worker, "a", 10)
            .Posting(LedgerAccountKind.ContributionSource, "employer", -10);

        Assert.False(JournalEntry.TryDecode(bytes.Encode(), out _));
    }

    [Fact]
    public void TwoLinesOfOneAccountInDeltaOrderAreAccepted()
    {
        // A swap within one keyset redeems and issues on the same outstanding account: -v then +v.
        var bytes = new Bytes(EntryKind.Swap)
            .Posting(LedgerAccountKind.Outstanding, K1, -10)
            .Posting(LedgerAccountKind.Outstanding, K1, 10)
            .Coin(1, 1, 10);

        Assert.True(JournalEntry.TryDecode(bytes.Encode(), out var entry));
        Assert.Equal(2, entry.Postings.Count);
    }

    [Fact]
    public void TwoLinesOfOneAccountOutOfDeltaOrderAreRefused()
    {
        var bytes = new Bytes(EntryKind.Swap)
            .Posting(LedgerAccountKind.Outstanding, K1, 10)
            .Posting(LedgerAccountKind.Outstanding, K1, -10)
            .Coin(1, 1, 10);

        Assert.False(JournalEntry.TryDecode(bytes.Encode(), out _));
    }

    [Fact]
    public void RepeatedPostingLineIsRefused()
    {
        var bytes = new Bytes(EntryKind.Contribution)
            .Posting(LedgerAccountKind.ContributionSource, "employer", -10)
            .Posting(LedgerAccountKind.Worker, "a", 5)
            .Posting(LedgerAccountKind.Worker, "a", 5);

        Assert.False(JournalEntry.TryDecode(bytes.Encode(), out _));
    }

    [Fact]
    public void ZeroPostingIsRefused()
    {
        var bytes = new Bytes(EntryKind.Contribution)
            .Posting(LedgerAccountKind.ContributionSource, "employer", -10)
            .Posting(LedgerAccountKind.Worker, "a", 0)
            .Posting(LedgerAccountKind.Worker, "b", 10);

        Assert.False(JournalEntry.TryDecode(bytes.Encode(), out _));
    }

    [Fact]
    public void CoinsInOrderAreAcceptedAndOutOfOrderOrRepeatedAreRefused()
    {
        var (low, high) = Coin(1).CompareTo(Coin(2)) < 0 ? (1L, 2L) : (2L, 1L);
        Bytes Deposit(params long[] coins)
        {
            var bytes = new Bytes(EntryKind.Deposit)
                .Posting(LedgerAccountKind.Outstanding, K1, -10 * coins.Length)
                .Posting(LedgerAccountKind.ProviderPayable, "p", 10 * coins.Length);
            foreach (long coin in coins)
            {
                bytes.Coin(coin, 1, 10);
            }

            return bytes;
        }

        Assert.True(JournalEntry.TryDecode(Deposit(low, high).Encode(), out var entry));
        Assert.Equal([Coin(low), Coin(high)], entry.SpentCoins.Select(c => c.Coin));
        Assert.False(JournalEntry.TryDecode(Deposit(high, low).Encode(), out _));
        Assert.False(JournalEntry.TryDecode(Deposit(low, low).Encode(), out _));
    }

    [Fact]
    public void ClosedKeysetsInOrderAreAcceptedAndOutOfOrderOrRepeatedAreRefused()
    {
        var (low, high) = Keyset(1).CompareTo(Keyset(2)) < 0 ? (1, 2) : (2, 1);
        Bytes Expiry(params int[] keysets)
        {
            var bytes = new Bytes(EntryKind.Expiry)
                .Posting(LedgerAccountKind.Outstanding, K1, -10)
                .Posting(LedgerAccountKind.Expired, "", 10);
            foreach (int keyset in keysets)
            {
                bytes.Closed(keyset);
            }

            return bytes;
        }

        Assert.True(JournalEntry.TryDecode(Expiry(low, high).Encode(), out var entry));
        Assert.Equal([Keyset(low), Keyset(high)], entry.ClosedKeysets);
        Assert.True(entry.KeysetEffects.Single(e => e.Keyset == Keyset(2)).Closes);
        Assert.False(JournalEntry.TryDecode(Expiry(high, low).Encode(), out _));
        Assert.False(JournalEntry.TryDecode(Expiry(low, low).Encode(), out _));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(-1, false)]
    [InlineData(1, true)]
    [InlineData(long.MaxValue, true)]
    public void SequenceStartsAtOne(long sequence, bool valid) =>
        Assert.Equal(valid, JournalEntry.TryDecode(Contribution().Header(sequence: sequence).Encode(), out _));

    [Theory]
    [InlineData(-62135596800000, true)]
    [InlineData(-62135596800001, false)]
    [InlineData(253402300799999, true)]
    [InlineData(253402300800000, false)]
    public void TimestampStaysWithinTheRangeOfDateTimeOffset(long millis, bool valid) =>
        Assert.Equal(valid, JournalEntry.TryDecode(Contribution().Header(millis: millis).Encode(), out _));

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(255)]
    public void UndefinedEntryKindIsRefused(byte kind) =>
        Assert.False(JournalEntry.TryDecode(Contribution().Header(kind: (EntryKind)kind).Encode(), out _));

    [Theory]
    [InlineData(0x8000_0000u)]
    [InlineData((uint)int.MaxValue)]
    public void ACoinCountBeyondTheBytesIsRefusedWithoutReadingOrReservingRoomForThem(uint count)
    {
        byte[] bytes = new Bytes(EntryKind.Deposit)
            .Posting(LedgerAccountKind.Outstanding, K1, -10)
            .Posting(LedgerAccountKind.ProviderPayable, "p", 10)
            .Coin(1, 1, 10)
            .Encode();

        // The u32 coin count sits after the postings: 2^31 fails the range check, 2^31 - 1 passes it and must not size
        // the list before the bytes run out.
        int countAt = bytes.Length - 2 - 72 - 4;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(countAt), count);

        Assert.False(JournalEntry.TryDecode(bytes, out _));
    }

    [Fact]
    public void ASpentCoinOfValueZeroIsAFormatError()
    {
        var zero = new Bytes(EntryKind.Deposit)
            .Posting(LedgerAccountKind.Outstanding, K1, -10)
            .Posting(LedgerAccountKind.ProviderPayable, "p", 10)
            .Canonical()
            .Coin(1, 1, 10)
            .Coin(2, 1, 0);

        Assert.False(JournalEntry.TryDecode(zero.Encode(), out _));
    }

    [Fact]
    public void TheEntryHashIsSha256OfTheLedgerDomainPrefixAndTheEncoding()
    {
        var bytes = Contribution().Encode();
        Assert.True(JournalEntry.TryDecode(bytes, out var entry));

        // SignatureDomain prefix: one length byte, the label "PB1/ledger-entry", the format version as a big-endian u16.
        byte[] label = Encoding.ASCII.GetBytes("PB1/ledger-entry");
        byte[] prefix = [(byte)label.Length, .. label, 0, JournalEntry.FormatVersion];
        Assert.Equal(System.Security.Cryptography.SHA256.HashData([.. prefix, .. bytes]), entry.Hash.Bytes.ToArray());
    }

    [Theory]
    [InlineData(EntryKind.Deposit)]
    [InlineData(EntryKind.Swap)]
    public void DepositOrSwapWithoutCoinsIsRefused(EntryKind kind)
    {
        var bytes = new Bytes(kind)
            .Posting(LedgerAccountKind.Outstanding, K1, -10)
            .Posting(kind == EntryKind.Deposit ? LedgerAccountKind.ProviderPayable : LedgerAccountKind.Outstanding, kind == EntryKind.Deposit ? "p" : K2, 10)
            .Canonical();

        Assert.False(JournalEntry.TryDecode(bytes.Encode(), out _));
        Assert.True(JournalEntry.TryDecode(bytes.Coin(1, 1, 10).Encode(), out _));
    }

    [Theory]
    [InlineData(EntryKind.Contribution)]
    [InlineData(EntryKind.Withdrawal)]
    [InlineData(EntryKind.Deposit)]
    [InlineData(EntryKind.Swap)]
    [InlineData(EntryKind.DefaultAllocation)]
    [InlineData(EntryKind.Payout)]
    public void OnlyAnExpiryClosesKeysets(EntryKind kind)
    {
        var (debit, debitKey, credit, creditKey) = Fitting(kind);
        var bytes = new Bytes(kind).Posting(debit, debitKey, -10).Posting(credit, creditKey, 10).Canonical();
        if (kind is EntryKind.Deposit or EntryKind.Swap)
        {
            bytes.Coin(1, 1, 10);
        }

        Assert.True(JournalEntry.TryDecode(bytes.Encode(), out _));
        Assert.False(JournalEntry.TryDecode(bytes.Closed(1).Encode(), out _));
    }

    public static TheoryData<EntryKind, LedgerAccountKind, LedgerAccountKind> AllShapes()
    {
        var data = new TheoryData<EntryKind, LedgerAccountKind, LedgerAccountKind>();
        foreach (var kind in Enum.GetValues<EntryKind>())
        {
            foreach (var debit in Enum.GetValues<LedgerAccountKind>())
            {
                foreach (var credit in Enum.GetValues<LedgerAccountKind>())
                {
                    data.Add(kind, debit, credit);
                }
            }
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(AllShapes))]
    public void EachKindDebitsAndCreditsOnlyItsOwnAccountKinds(EntryKind kind, LedgerAccountKind debit, LedgerAccountKind credit)
    {
        // docs/ledger.md: which account kinds each operation may debit and credit.
        var debits = new Dictionary<EntryKind, LedgerAccountKind[]>
        {
            [EntryKind.Contribution] = [LedgerAccountKind.ContributionSource],
            [EntryKind.Withdrawal] = [LedgerAccountKind.Worker],
            [EntryKind.Deposit] = [LedgerAccountKind.Outstanding],
            [EntryKind.Swap] = [LedgerAccountKind.Outstanding],
            [EntryKind.Expiry] = [LedgerAccountKind.Outstanding],
            [EntryKind.DefaultAllocation] = [LedgerAccountKind.Expired, LedgerAccountKind.Worker],
            [EntryKind.WithdrawalReversal] = [LedgerAccountKind.Outstanding],
            [EntryKind.Refund] = [LedgerAccountKind.ProviderPayable],
            [EntryKind.Payout] = [LedgerAccountKind.ProviderPayable],
        };
        var credits = new Dictionary<EntryKind, LedgerAccountKind[]>
        {
            [EntryKind.Contribution] = [LedgerAccountKind.Worker],
            [EntryKind.Withdrawal] = [LedgerAccountKind.Outstanding],
            [EntryKind.Deposit] = [LedgerAccountKind.ProviderPayable],
            [EntryKind.Swap] = [LedgerAccountKind.Outstanding],
            [EntryKind.Expiry] = [LedgerAccountKind.Expired],
            [EntryKind.DefaultAllocation] = [LedgerAccountKind.ProviderPayable, LedgerAccountKind.DefaultPool],
            [EntryKind.WithdrawalReversal] = [LedgerAccountKind.Worker],
            [EntryKind.Refund] = [LedgerAccountKind.Outstanding],
            [EntryKind.Payout] = [LedgerAccountKind.Payouts],
        };
        // A payout moves one provider's payable to that provider's payouts account, so both lines name the same key.
        var bytes = new Bytes(kind).Posting(debit, Key(debit, "a"), -10).Posting(credit, Key(credit, kind == EntryKind.Payout ? "a" : "b"), 10);
        if (kind is EntryKind.Deposit or EntryKind.Swap)
        {
            bytes.Coin(1, 1, 10);
        }

        bool expected = debits[kind].Contains(debit) && credits[kind].Contains(credit);
        Assert.Equal(expected, JournalEntry.TryDecode(bytes.Canonical().Encode(), out _));

        static string Key(LedgerAccountKind account, string worker) => account switch
        {
            LedgerAccountKind.ContributionSource => "employer",
            LedgerAccountKind.Outstanding => worker == "a" ? K1 : K2,
            LedgerAccountKind.Expired or LedgerAccountKind.DefaultPool => "",
            _ => worker,
        };
    }

    [Theory]
    [InlineData(EntryKind.Contribution)]
    [InlineData(EntryKind.Withdrawal)]
    [InlineData(EntryKind.Expiry)]
    [InlineData(EntryKind.DefaultAllocation)]
    [InlineData(EntryKind.Payout)]
    public void KindWithoutSpentCoinsRefusesThem(EntryKind kind)
    {
        var (debit, debitKey, credit, creditKey) = Fitting(kind);
        var bytes = new Bytes(kind).Posting(debit, debitKey, -10).Posting(credit, creditKey, 10).Canonical();

        Assert.True(JournalEntry.TryDecode(bytes.Encode(), out _));
        Assert.False(JournalEntry.TryDecode(bytes.Coin(1, 1, 10).Encode(), out _));
    }

    [Fact]
    public void EffectsFollowTheEntryKind()
    {
        Assert.True(JournalEntry.TryDecode(new Bytes(EntryKind.Withdrawal).Posting(LedgerAccountKind.Worker, "w", -10).Posting(LedgerAccountKind.Outstanding, K1, 10).Encode(), out var withdrawal));
        Assert.True(JournalEntry.TryDecode(new Bytes(EntryKind.Swap).Posting(LedgerAccountKind.Outstanding, K1, -10).Posting(LedgerAccountKind.Outstanding, K2, 10).Canonical().Coin(1, 1, 10).Encode(), out var swap));
        Assert.True(JournalEntry.TryDecode(new Bytes(EntryKind.Deposit).Posting(LedgerAccountKind.Outstanding, K1, -10).Posting(LedgerAccountKind.ProviderPayable, "p", 10).Coin(1, 1, 10).Encode(), out var deposit));
        Assert.True(JournalEntry.TryDecode(new Bytes(EntryKind.Expiry).Posting(LedgerAccountKind.Outstanding, K1, -10).Posting(LedgerAccountKind.Expired, "", 10).Closed(1).Encode(), out var expiry));

        Assert.Equal([new KeysetEffect(Keyset(1), Pence(10), Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, false)], withdrawal.KeysetEffects);
        Assert.Equal(
            new[] { new KeysetEffect(Keyset(1), Amount.Zero, Amount.Zero, Pence(10), Amount.Zero, Amount.Zero, false), new KeysetEffect(Keyset(2), Pence(10), Amount.Zero, Amount.Zero, Amount.Zero, Amount.Zero, false) }.OrderBy(e => e.Keyset),
            swap.KeysetEffects);
        Assert.Equal([new KeysetEffect(Keyset(1), Amount.Zero, Pence(10), Amount.Zero, Amount.Zero, Amount.Zero, false)], deposit.KeysetEffects);
        Assert.Equal([new KeysetEffect(Keyset(1), Amount.Zero, Amount.Zero, Amount.Zero, Pence(10), Amount.Zero, true)], expiry.KeysetEffects);
    }

    private static Bytes Contribution() => new Bytes(EntryKind.Contribution)
        .Posting(LedgerAccountKind.ContributionSource, "employer", -10)
        .Posting(LedgerAccountKind.Worker, "a", 10);

    private static (LedgerAccountKind Debit, string DebitKey, LedgerAccountKind Credit, string CreditKey) Fitting(EntryKind kind) => kind switch
    {
        EntryKind.Contribution => (LedgerAccountKind.ContributionSource, "employer", LedgerAccountKind.Worker, "w"),
        EntryKind.Withdrawal => (LedgerAccountKind.Worker, "w", LedgerAccountKind.Outstanding, K1),
        EntryKind.Deposit => (LedgerAccountKind.Outstanding, K1, LedgerAccountKind.ProviderPayable, "p"),
        EntryKind.Swap => (LedgerAccountKind.Outstanding, K1, LedgerAccountKind.Outstanding, K2),
        EntryKind.Expiry => (LedgerAccountKind.Outstanding, K1, LedgerAccountKind.Expired, ""),
        EntryKind.Payout => (LedgerAccountKind.ProviderPayable, "p", LedgerAccountKind.Payouts, "p"),
        _ => (LedgerAccountKind.Worker, "w", LedgerAccountKind.DefaultPool, ""),
    };

    /// <summary>Entry bytes written in exactly the order given; postings are sorted only if the caller sorts them.</summary>
    private sealed class Bytes(EntryKind kind)
    {
        private readonly List<(LedgerAccountKind Kind, string Key, long Delta)> _postings = [];
        private readonly List<byte[]> _coins = [];
        private readonly List<int> _closed = [];
        private long _sequence = 1;
        private long _millis;
        private EntryKind _kind = kind;

        public Bytes Header(long? sequence = null, long? millis = null, EntryKind? kind = null)
        {
            _sequence = sequence ?? _sequence;
            _millis = millis ?? _millis;
            _kind = kind ?? _kind;
            return this;
        }

        public Bytes Posting(LedgerAccountKind account, string key, long delta)
        {
            _postings.Add((account, key, delta));
            return this;
        }

        /// <summary>Puts the postings in canonical order: account kind, then key (ordinal), then delta.</summary>
        public Bytes Canonical()
        {
            var sorted = _postings.OrderBy(p => p.Kind).ThenBy(p => p.Key, StringComparer.Ordinal).ThenBy(p => p.Delta).ToList();
            _postings.Clear();
            _postings.AddRange(sorted);
            return this;
        }

        public Bytes Coin(long coin, int keyset, long value)
        {
            _coins.Add([.. LedgerFixtures.Coin(coin).Bytes.ToArray(), .. Keyset(keyset).Bytes.ToArray(), .. I64(value)]);
            return this;
        }

        public Bytes Closed(int keyset)
        {
            _closed.Add(keyset);
            return this;
        }

        public byte[] Encode()
        {
            var bytes = new List<byte> { JournalEntry.FormatVersion };
            bytes.AddRange(I64(_sequence));
            bytes.Add((byte)_kind);
            bytes.AddRange([1, (byte)'k']);
            bytes.AddRange(I64(_millis));
            bytes.AddRange(new byte[32]);
            bytes.AddRange([(byte)(_postings.Count >> 8), (byte)_postings.Count]);
            foreach (var (account, key, delta) in _postings)
            {
                bytes.AddRange([(byte)account, (byte)key.Length, .. Encoding.ASCII.GetBytes(key), .. I64(delta)]);
            }

            bytes.AddRange([0, 0, (byte)(_coins.Count >> 8), (byte)_coins.Count]);
            _coins.ForEach(bytes.AddRange);
            bytes.AddRange([(byte)(_closed.Count >> 8), (byte)_closed.Count]);
            foreach (int keyset in _closed)
            {
                bytes.AddRange(Keyset(keyset).Bytes.ToArray());
            }

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
