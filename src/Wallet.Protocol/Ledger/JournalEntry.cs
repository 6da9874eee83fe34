using System.Buffers;

namespace Wallet.Protocol.Ledger;

/// <summary>
/// One balanced, hash-chained entry of the append-only journal: everything one ledger operation moved.
/// </summary>
/// <remarks>
/// DESIGN.md section 4. The canonical encoding and the hash chain are specified in docs/ledger.md
/// ("Entry encoding and hash chain"): <c>hash = SHA-256(len ‖ "PB1/ledger-entry" ‖ u16 1 ‖ body)</c>, where the
/// body carries the previous entry's hash, so changing any entry breaks every hash after it.
/// </remarks>
public sealed class JournalEntry
{
    /// <summary>The encoding version this library writes and reads.</summary>
    public const byte FormatVersion = 1;

    private static readonly SignatureDomain Domain = new("PB1/ledger-entry", FormatVersion);

    private readonly byte[] _encoded;

    private JournalEntry(
        long sequence,
        EntryKind kind,
        IdempotencyKey idempotencyKey,
        DateTimeOffset timestamp,
        EntryHash previousHash,
        IReadOnlyList<Posting> postings,
        IReadOnlyList<SpentCoin> spentCoins,
        IReadOnlyList<KeysetId> closedKeysets,
        byte[] encoded)
    {
        (Sequence, Kind, IdempotencyKey, Timestamp, PreviousHash, Postings, SpentCoins, ClosedKeysets, _encoded) = (sequence, kind, idempotencyKey, timestamp, previousHash, postings, spentCoins, closedKeysets, encoded);
        Hash = ComputeHash(encoded);
        KeysetEffects = ComputeEffects();
    }

    /// <summary>The entry's position in the journal, from 1.</summary>
    public long Sequence { get; }

    /// <summary>The operation recorded.</summary>
    public EntryKind Kind { get; }

    /// <summary>The idempotency key of the request that produced the entry.</summary>
    public IdempotencyKey IdempotencyKey { get; }

    /// <summary>When the entry was made, from the ledger's injected <see cref="TimeProvider"/>, to the millisecond (UTC).</summary>
    public DateTimeOffset Timestamp { get; }

    /// <summary>The hash of the entry before (<see cref="EntryHash.Genesis"/> for the first).</summary>
    public EntryHash PreviousHash { get; }

    /// <summary>This entry's hash, which the next entry chains to.</summary>
    public EntryHash Hash { get; }

    /// <summary>The balance changes, in canonical order (account, then delta); they sum to zero.</summary>
    public IReadOnlyList<Posting> Postings { get; }

    /// <summary>Coins recorded spent by this entry (deposits and swap inputs), ordered by coin id.</summary>
    public IReadOnlyList<SpentCoin> SpentCoins { get; }

    /// <summary>Keysets this entry expires, ordered by id.</summary>
    public IReadOnlyList<KeysetId> ClosedKeysets { get; }

    /// <summary>The entry's effect on each keyset's conservation counters, ordered by keyset id.</summary>
    public IReadOnlyList<KeysetEffect> KeysetEffects { get; }

    /// <summary>Returns the canonical encoding (the body that is hashed); stores persist exactly these bytes.</summary>
    /// <returns>A new array.</returns>
    public byte[] Encode() => (byte[])_encoded.Clone();

    /// <summary>Decodes a canonical encoding, rejecting anything non-canonical or unbalanced.</summary>
    /// <param name="encoded">Bytes produced by <see cref="Encode"/>.</param>
    /// <param name="entry">The entry, when valid.</param>
    /// <returns><see langword="true"/> when <paramref name="encoded"/> is a valid canonical entry.</returns>
    public static bool TryDecode(ReadOnlySpan<byte> encoded, [NotNullWhen(true)] out JournalEntry? entry)
    {
        // The entry keeps its own copy of the bytes it hashes; the reader walks that copy.
        byte[] copy = encoded.ToArray();
        // Stryker disable once String : the label only names the structure in a decode error's message.
        return ProtocolCodec.TryDecode(copy, (ref ProtocolReader r) => Read(ref r, copy), "journal entry", out entry);
    }

    /// <summary>Builds an entry in canonical form: sorts its parts, checks it balances, encodes and hashes it.</summary>
    internal static JournalEntry Create(
        long sequence,
        EntryKind kind,
        IdempotencyKey idempotencyKey,
        DateTimeOffset timestamp,
        EntryHash previousHash,
        IEnumerable<Posting> postings,
        IEnumerable<SpentCoin> spentCoins,
        IEnumerable<KeysetId> closedKeysets)
    {
        var sortedPostings = postings.Where(p => p.Delta != 0).OrderBy(p => p.Account).ThenBy(p => p.Delta).ToArray();
        var sortedCoins = spentCoins.OrderBy(c => c.Coin).ToArray();
        var sortedClosed = closedKeysets.Order().ToArray();
        if (!IsCanonical(sortedPostings, sortedCoins, sortedClosed))
        {
            throw new InvalidOperationException("A ledger entry must balance and list each coin, account line and keyset once.");
        }

        long millis = timestamp.ToUnixTimeMilliseconds();
        var writer = new ProtocolWriter();
        writer.U8(FormatVersion);
        writer.I64(sequence);
        writer.U8((byte)kind);
        writer.Ascii(idempotencyKey.Value);
        writer.I64(millis);
        writer.Fixed(previousHash.Bytes);
        writer.U16(sortedPostings.Length);
        foreach (var posting in sortedPostings)
        {
            writer.U8((byte)posting.Account.Kind);
            writer.Ascii(posting.Account.Key);
            writer.I64(posting.Delta);
        }

        // Stryker disable once Checked : equivalent, an array length always fits a u32.
        writer.U32(checked((uint)sortedCoins.Length));
        foreach (var coin in sortedCoins)
        {
            writer.Fixed(coin.Coin.Bytes);
            writer.Fixed(coin.Keyset.Bytes);
            writer.Amount(coin.Value);
        }

        writer.U16(sortedClosed.Length);
        foreach (var keyset in sortedClosed)
        {
            writer.Fixed(keyset.Bytes);
        }

        return new JournalEntry(
            sequence,
            kind,
            idempotencyKey,
            DateTimeOffset.FromUnixTimeMilliseconds(millis),
            previousHash,
            sortedPostings,
            sortedCoins,
            sortedClosed,
            writer.ToArray());
    }

    private static JournalEntry Read(ref ProtocolReader r, byte[] encoded)
    {
        // Stryker disable String : the labels below only name a field in a decode error's message.
        r.Version(FormatVersion, "journal entry");
        long sequence = r.I64("sequence");
        var kind = (EntryKind)r.U8("kind");
        var key = new IdempotencyKey(r.Ascii("idempotency key", 1, IdempotencyKey.MaxLength));
        long millis = r.I64("timestamp");
        var previous = new EntryHash(r.Fixed(EntryHash.Length, "previous hash"));
        if (sequence < 1 || !Enum.IsDefined(kind) || millis is < -62135596800000 or > 253402300799999)
        {
            throw new ProtocolFormatException("Journal entry header out of range.");
        }

        var postings = new Posting[r.U16("postings")];
        for (int i = 0; i < postings.Length; i++)
        {
            var accountKind = (LedgerAccountKind)r.U8("account kind");
            string accountKey = r.Ascii("account key", 0, byte.MaxValue);
            long delta = r.I64("delta");
            if (!LedgerAccount.TryCreate(accountKind, accountKey, out var account) || delta == 0)
            {
                throw new ProtocolFormatException("Invalid journal posting.");
            }

            postings[i] = new Posting(account, delta);
        }

        uint coinCount = r.U32("spent coins");
        // Stryker disable once Equality,Statement,Block : equivalent, a count of 2^31 - 1 or more fails on the missing bytes anyway; the capacity below is bounded either way.
        if (coinCount > int.MaxValue)
        {
            throw new ProtocolFormatException("Too many spent coins.");
        }

        var coins = new List<SpentCoin>((int)Math.Min(coinCount, 4096));
        for (long i = 0; i < coinCount; i++)
        {
            var coin = r.Coin("coin id");
            var keyset = r.Keyset("keyset id");
            // Stryker disable once Boolean,String : equivalent, SpentCoin refuses a zero value too and decoding reports that as a format error.
            coins.Add(new SpentCoin(coin, keyset, r.Amount("value", positive: true)));
        }

        var closed = new KeysetId[r.U16("closed keysets")];
        for (int i = 0; i < closed.Length; i++)
        {
            closed[i] = r.Keyset("closed keyset");
        }

        // Stryker disable once Statement,String : equivalent, ProtocolCodec.TryDecode also refuses bytes left over.
        r.End("journal entry");

        // Stryker restore String
        if (!IsCanonical(postings, coins, closed) || !FitsKind(kind, postings, coins.Count, closed.Length))
        {
            throw new ProtocolFormatException("Journal entry is not canonical for its kind.");
        }

        try
        {
            return new JournalEntry(sequence, kind, key, DateTimeOffset.FromUnixTimeMilliseconds(millis), previous, postings, coins, closed, encoded);
        }
        catch (OverflowException ex)
        {
            // Balanced postings can still sum past the range of a keyset counter (two large issues to one keyset).
            throw new ProtocolFormatException("Journal entry overflows a keyset counter.", ex);
        }
    }

    private static EntryHash ComputeHash(byte[] encoded)
    {
        // One-shot over prefix and body: an incremental hash object per entry cost a payroll batch a tenth of its time.
        var prefix = Domain.Prefix;
        byte[] message = ArrayPool<byte>.Shared.Rent(prefix.Length + encoded.Length);
        try
        {
            prefix.CopyTo(message);
            encoded.CopyTo(message.AsSpan(prefix.Length));
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(message.AsSpan(0, prefix.Length + encoded.Length), hash);
            return new EntryHash(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(message);
        }
    }

    /// <summary>
    /// Whether the postings, spent coins and closed keysets are the shape the entry's kind produces: which
    /// account kinds may be debited and credited, and whether coins and closures may appear at all.
    /// </summary>
    private static bool FitsKind(EntryKind kind, Posting[] postings, int coinCount, int closedCount)
    {
        bool coinsAllowed = kind is EntryKind.Deposit or EntryKind.Swap;
        bool closedAllowed = kind is EntryKind.Expiry;
        if ((coinCount > 0 && !coinsAllowed) || (coinsAllowed && coinCount == 0) || (closedCount > 0 && !closedAllowed))
        {
            return false;
        }

        foreach (var posting in postings)
        {
            var account = posting.Account.Kind;
            // Stryker disable once Equality : equivalent, a zero delta is refused by the decoder and by IsCanonical before this.
            bool fits = posting.Delta < 0
                ? kind switch
                {
                    EntryKind.Contribution => account == LedgerAccountKind.ContributionSource,
                    EntryKind.Withdrawal => account is LedgerAccountKind.Worker or LedgerAccountKind.WorkerFund,
                    EntryKind.Deposit or EntryKind.Swap or EntryKind.Expiry => account == LedgerAccountKind.Outstanding,
                    EntryKind.DefaultAllocation => account is LedgerAccountKind.Expired or LedgerAccountKind.Worker or LedgerAccountKind.WorkerFund,
                    EntryKind.WithdrawalReversal => account == LedgerAccountKind.Outstanding,
                    EntryKind.Refund => account == LedgerAccountKind.ProviderPayable,
                    EntryKind.Payout => account == LedgerAccountKind.ProviderPayable,
                    _ => false,
                }
                : kind switch
                {
                    EntryKind.Contribution => account is LedgerAccountKind.Worker or LedgerAccountKind.WorkerFund,
                    EntryKind.Withdrawal or EntryKind.Swap or EntryKind.Refund => account == LedgerAccountKind.Outstanding,
                    EntryKind.Deposit => account == LedgerAccountKind.ProviderPayable,
                    EntryKind.Expiry => account == LedgerAccountKind.Expired,
                    EntryKind.DefaultAllocation => account is LedgerAccountKind.ProviderPayable or LedgerAccountKind.DefaultPool,
                    EntryKind.WithdrawalReversal => account is LedgerAccountKind.Worker or LedgerAccountKind.WorkerFund,
                    EntryKind.Payout => account == LedgerAccountKind.Payouts,
                    _ => false,
                };
            if (!fits)
            {
                return false;
            }
        }

        // A payout moves one provider's payable to that same provider's payouts account: every line names one provider.
        return kind != EntryKind.Payout || postings.All(p => p.Account.Key == postings[0].Account.Key);
    }

    private static bool IsCanonical(Posting[] postings, IReadOnlyList<SpentCoin> coins, KeysetId[] closed)
    {
        long sum = 0;
        for (int i = 0; i < postings.Length; i++)
        {
            if (postings[i].Delta == 0)
            {
                return false;
            }

            if (i > 0)
            {
                int order = postings[i - 1].Account.CompareTo(postings[i].Account);
                if (order > 0 || (order == 0 && postings[i - 1].Delta >= postings[i].Delta))
                {
                    return false;
                }
            }

            try
            {
                sum = checked(sum + postings[i].Delta);
            }
            catch (OverflowException)
            {
                return false;
            }
        }

        for (int i = 1; i < coins.Count; i++)
        {
            if (coins[i - 1].Coin.CompareTo(coins[i].Coin) >= 0)
            {
                return false;
            }
        }

        for (int i = 1; i < closed.Length; i++)
        {
            if (closed[i - 1].CompareTo(closed[i]) >= 0)
            {
                return false;
            }
        }

        return sum == 0;
    }

    private KeysetEffect[] ComputeEffects()
    {
        var effects = new SortedDictionary<KeysetId, (long Issued, long Deposited, long SwappedIn, long Expired, long Reversed, bool Closes)>();

        (long Issued, long Deposited, long SwappedIn, long Expired, long Reversed, bool Closes) Get(KeysetId id) =>
            effects.TryGetValue(id, out var e) ? e : default;

        foreach (var posting in Postings)
        {
            if (posting.Account.GetKeyset() is not { } keyset)
            {
                continue;
            }

            var e = Get(keyset);
            if (posting.Delta > 0 && Kind is EntryKind.Withdrawal or EntryKind.Swap or EntryKind.Refund)
            {
                e.Issued = checked(e.Issued + posting.Delta);
            }
            else if (posting.Delta < 0 && Kind is EntryKind.Expiry)
            {
                e.Expired = checked(e.Expired - posting.Delta);
            }
            else if (posting.Delta < 0 && Kind is EntryKind.WithdrawalReversal)
            {
                e.Reversed = checked(e.Reversed - posting.Delta);
            }

            effects[keyset] = e;
        }

        foreach (var coin in SpentCoins)
        {
            var e = Get(coin.Keyset);
            if (Kind == EntryKind.Deposit)
            {
                e.Deposited = checked(e.Deposited + coin.Value.MinorUnits);
            }
            else if (Kind == EntryKind.Swap)
            {
                e.SwappedIn = checked(e.SwappedIn + coin.Value.MinorUnits);
            }

            effects[coin.Keyset] = e;
        }

        foreach (var keyset in ClosedKeysets)
        {
            var e = Get(keyset);
            e.Closes = true;
            effects[keyset] = e;
        }

        return effects.Select(p => new KeysetEffect(
            p.Key,
            Amount.FromMinorUnits(p.Value.Issued),
            Amount.FromMinorUnits(p.Value.Deposited),
            Amount.FromMinorUnits(p.Value.SwappedIn),
            Amount.FromMinorUnits(p.Value.Expired),
            Amount.FromMinorUnits(p.Value.Reversed),
            p.Value.Closes)).ToArray();
    }
}
