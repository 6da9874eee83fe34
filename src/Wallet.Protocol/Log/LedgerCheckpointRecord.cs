namespace Wallet.Protocol.Log;

/// <summary>
/// A signed summary of the scheme's ledger, logged between the entries it summarises and those after it: which log
/// prefix it closes, the journal head at that point, the total balance per account kind and the value outstanding per
/// keyset and per fund. An auditor reconciles the log prefix against it (docs/PROTOCOL.md 5.15).
/// </summary>
/// <remarks>
/// Signature domain <c>PB1/ledger-checkpoint</c> v1 over the body, so one record can be quoted and checked on its own.
/// Canonical: every list strictly ascending, zero totals and zero outstanding values left out, <see cref="TakenAt"/> a
/// whole UTC minute. It names no worker, provider or account: only sums over every account of a kind.
/// </remarks>
public sealed class LedgerCheckpointRecord : SignedProtocolMessage<LedgerCheckpointRecord>
{
    /// <summary>Encoding version: 2 adds the workers' totals per fund; a version 1 record (without them) still decodes and verifies.</summary>
    public const byte EncodingVersion = 2;

    /// <summary>Most keysets per record.</summary>
    public const int MaxKeysets = 16384;

    /// <summary>Most funds per record.</summary>
    public const int MaxFunds = 4096;

    /// <summary>Length of the journal head hash.</summary>
    public const int HashLength = 32;

    private static readonly SignedMessageCodec<LedgerCheckpointRecord> Codec = Versioned(RegisterSigned("ledger checkpoint", EncodingVersion, "PB1/ledger-checkpoint", static (ref ProtocolReader r) => ReadFields(ref r, EncodingVersion), static (m, w) => m.WriteBody(w)));

    private readonly byte[] _journalHeadHash;

    private LedgerCheckpointRecord(ulong sequence, DateTimeOffset takenAt, ulong logSize, ulong journalEntries, byte[] journalHeadHash, ImmutableArray<(LedgerTotalKind Kind, long Balance)> totals, ImmutableArray<(KeysetId Keyset, Amount Outstanding)> keysets, ImmutableArray<(string Fund, Amount Outstanding)> funds, ImmutableArray<(string Fund, long Balance)>? workerFunds, byte[] signature)
        : base(signature)
    {
        (Sequence, TakenAt, LogSize, JournalEntries, _journalHeadHash) = (sequence, takenAt, logSize, journalEntries, journalHeadHash);
        (Totals, Keysets, Funds, _workerFunds) = (totals, keysets, funds, workerFunds);
    }

    private readonly ImmutableArray<(string Fund, long Balance)>? _workerFunds;

    /// <summary>The checkpoint's number in the log: 1 for the first, then one more each time.</summary>
    public ulong Sequence { get; }

    /// <summary>When it was taken, truncated to the UTC minute.</summary>
    public DateTimeOffset TakenAt { get; }

    /// <summary>How many log entries precede it: the prefix the totals reconcile with (its own log index).</summary>
    public ulong LogSize { get; }

    /// <summary>How many journal entries the ledger held (the sequence number of the journal head; 0 when empty).</summary>
    public ulong JournalEntries { get; }

    /// <summary>The hash of the journal's last entry (32 zero bytes when empty), which chains every entry before it.</summary>
    public ReadOnlySpan<byte> JournalHeadHash => _journalHeadHash;

    /// <summary>The sum of the balances of every account of each kind, ascending by kind; kinds summing to zero are left out.</summary>
    public ImmutableArray<(LedgerTotalKind Kind, long Balance)> Totals { get; }

    /// <summary>The value outstanding per keyset (its outstanding account's balance), ascending by keyset id; zero values left out.</summary>
    public ImmutableArray<(KeysetId Keyset, Amount Outstanding)> Keysets { get; }

    /// <summary>The value outstanding per fund (the sum over the fund's keysets), ascending by fund; zero values left out.</summary>
    public ImmutableArray<(string Fund, Amount Outstanding)> Funds { get; }

    /// <summary>
    /// The workers' sub-balances summed per fund (docs/PROTOCOL.md 5.15, 5.22): <c>general</c> is the total of kind
    /// <see cref="LedgerTotalKind.Worker"/>, every other fund its share of <see cref="LedgerTotalKind.WorkerFund"/>;
    /// ascending by fund, zero values left out. Empty in a version 1 record (<see cref="HasWorkerFunds"/> false).
    /// </summary>
    public ImmutableArray<(string Fund, long Balance)> WorkerFunds => _workerFunds ?? [];

    /// <summary>Whether the record states the workers' totals per fund (encoding version 2); a version 1 record does not.</summary>
    public bool HasWorkerFunds => _workerFunds is not null;

    /// <summary>The total of one account kind.</summary>
    /// <param name="kind">The kind.</param>
    /// <returns>The total, zero when the record leaves the kind out.</returns>
    public long TotalOf(LedgerTotalKind kind)
    {
        foreach (var (k, balance) in Totals)
        {
            if (k == kind)
            {
                return balance;
            }
        }

        return 0;
    }

    /// <summary>Builds and signs a record; zero totals and values are left out and the time is truncated to the minute.</summary>
    /// <param name="sequence">The checkpoint's number, from 1.</param>
    /// <param name="takenAt">When it is taken.</param>
    /// <param name="logSize">The log's size before the record is appended.</param>
    /// <param name="journalEntries">The journal head's sequence number.</param>
    /// <param name="journalHeadHash">The journal head's hash, 32 bytes.</param>
    /// <param name="totals">Totals per account kind; each kind once.</param>
    /// <param name="keysets">Outstanding value per keyset; each keyset once.</param>
    /// <param name="funds">Outstanding value per fund; each fund once, a token.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The signed record.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The sequence is zero, the hash is not 32 bytes, a kind is 0, a kind, keyset or fund repeats, a fund is not a token,
    /// or a list is too long.
    /// </exception>
    public static LedgerCheckpointRecord Sign(ulong sequence, DateTimeOffset takenAt, ulong logSize, ulong journalEntries, ReadOnlySpan<byte> journalHeadHash, IEnumerable<(LedgerTotalKind Kind, long Balance)> totals, IEnumerable<(KeysetId Keyset, Amount Outstanding)> keysets, IEnumerable<(string Fund, Amount Outstanding)> funds, Ed25519SigningKey schemeKey) =>
        SignCore(sequence, takenAt, logSize, journalEntries, journalHeadHash, totals, keysets, funds, null, schemeKey);

    /// <summary>
    /// Builds and signs a version 2 record, which also states the workers' totals per fund; zero totals and values are
    /// left out and the time is truncated to the minute.
    /// </summary>
    /// <param name="sequence">The checkpoint's number, from 1.</param>
    /// <param name="takenAt">When it is taken.</param>
    /// <param name="logSize">The log's size before the record is appended.</param>
    /// <param name="journalEntries">The journal head's sequence number.</param>
    /// <param name="journalHeadHash">The journal head's hash, 32 bytes.</param>
    /// <param name="totals">Totals per account kind; each kind once.</param>
    /// <param name="keysets">Outstanding value per keyset; each keyset once.</param>
    /// <param name="funds">Outstanding value per fund; each fund once, a token.</param>
    /// <param name="workerFunds">The workers' sub-balances summed per fund (general included); each fund once, a token without <c>/</c>.</param>
    /// <param name="schemeKey">The scheme's key.</param>
    /// <returns>The signed record.</returns>
    /// <exception cref="ArgumentNullException">A reference argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The sequence is zero, the hash is not 32 bytes, a kind is 0, a kind, keyset or fund repeats, a fund is not a token
    /// (a worker fund with <c>/</c>), or a list is too long.
    /// </exception>
    /// <remarks>docs/PROTOCOL.md 5.15.</remarks>
    public static LedgerCheckpointRecord Sign(ulong sequence, DateTimeOffset takenAt, ulong logSize, ulong journalEntries, ReadOnlySpan<byte> journalHeadHash, IEnumerable<(LedgerTotalKind Kind, long Balance)> totals, IEnumerable<(KeysetId Keyset, Amount Outstanding)> keysets, IEnumerable<(string Fund, Amount Outstanding)> funds, IEnumerable<(string Fund, long Balance)> workerFunds, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(workerFunds);
        return SignCore(sequence, takenAt, logSize, journalEntries, journalHeadHash, totals, keysets, funds, workerFunds, schemeKey);
    }

    private static LedgerCheckpointRecord SignCore(ulong sequence, DateTimeOffset takenAt, ulong logSize, ulong journalEntries, ReadOnlySpan<byte> journalHeadHash, IEnumerable<(LedgerTotalKind Kind, long Balance)> totals, IEnumerable<(KeysetId Keyset, Amount Outstanding)> keysets, IEnumerable<(string Fund, Amount Outstanding)> funds, IEnumerable<(string Fund, long Balance)>? workerFunds, Ed25519SigningKey schemeKey)
    {
        ArgumentNullException.ThrowIfNull(totals);
        ArgumentNullException.ThrowIfNull(keysets);
        ArgumentNullException.ThrowIfNull(funds);
        ArgumentNullException.ThrowIfNull(schemeKey);
        ArgumentOutOfRangeException.ThrowIfZero(sequence);
        if (journalHeadHash.Length != HashLength)
        {
            throw new ArgumentException("The journal head hash is 32 bytes.", nameof(journalHeadHash));
        }

        var t = Canonical(totals.Where(x => x.Balance != 0), x => x.Kind, Comparer<LedgerTotalKind>.Default, 255, nameof(totals));
        if (t.Any(x => x.Kind == 0))
        {
            throw new ArgumentException("Kind 0 is not an account kind.", nameof(totals));
        }

        var k = Canonical(keysets.Where(x => x.Outstanding.MinorUnits != 0), x => x.Keyset, Comparer<KeysetId>.Default, MaxKeysets, nameof(keysets));
        var f = Canonical(funds.Where(x => x.Outstanding.MinorUnits != 0), x => x.Fund, StringComparer.Ordinal, MaxFunds, nameof(funds));
        foreach (var (fund, _) in f)
        {
            AsciiToken.Validate(fund, nameof(funds));
        }

        ImmutableArray<(string Fund, long Balance)>? w = null;
        if (workerFunds is not null)
        {
            var canonical = Canonical(workerFunds.Where(x => x.Balance != 0), x => x.Fund, StringComparer.Ordinal, MaxFunds, nameof(workerFunds));
            foreach (var (fund, _) in canonical)
            {
                AsciiToken.Validate(fund, nameof(workerFunds));
                if (fund.Contains('/', StringComparison.Ordinal))
                {
                    throw new ArgumentException("A fund has no '/'.", nameof(workerFunds));
                }
            }

            w = canonical;
        }

        var at = DateTimeOffset.FromUnixTimeSeconds(takenAt.ToUnixTimeSeconds() / 60 * 60);
        byte[] hash = journalHeadHash.ToArray();
        var unsigned = new LedgerCheckpointRecord(sequence, at, logSize, journalEntries, hash, t, k, f, w, []);
        return new LedgerCheckpointRecord(sequence, at, logSize, journalEntries, hash, t, k, f, w, Codec.Sign(unsigned, schemeKey));
    }

    /// <summary>Checks the scheme's signature.</summary>
    /// <param name="schemeKey">The scheme's public key.</param>
    /// <returns>Whether it is valid.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="schemeKey"/> is null.</exception>
    public bool Verify(Ed25519PublicKey schemeKey) => IsSignedBy(schemeKey ?? throw new ArgumentNullException(nameof(schemeKey)));

    /// <inheritdoc/>
    public override string ToString() => $"LedgerCheckpoint(#{Sequence}, log {LogSize}, journal {JournalEntries})";

    private static ImmutableArray<T> Canonical<T, TKey>(IEnumerable<T> items, Func<T, TKey> key, IComparer<TKey> comparer, int max, string paramName)
    {
        var sorted = items.OrderBy(key, comparer).ToImmutableArray();
        if (sorted.Length > max)
        {
            throw new ArgumentException("Too many items.", paramName);
        }

        for (int i = 0; i < sorted.Length; i++)
        {
            ArgumentNullException.ThrowIfNull(key(sorted[i]), paramName);
            if (i > 0 && comparer.Compare(key(sorted[i - 1]), key(sorted[i])) == 0)
            {
                throw new ArgumentException("Each item appears once.", paramName);
            }
        }

        return sorted;
    }

    private void WriteBody(ProtocolWriter w)
    {
        w.U64(Sequence);
        w.Time(TakenAt);
        w.U64(LogSize);
        w.U64(JournalEntries);
        w.Fixed(_journalHeadHash);
        w.List(Totals, static (t, w) =>
        {
            w.U8((byte)t.Kind);
            w.I64(t.Balance);
        });
        w.List(Keysets, static (k, w) =>
        {
            w.Fixed(k.Keyset.Bytes);
            w.Amount(k.Outstanding);
        });
        w.List(Funds, static (f, w) =>
        {
            w.Ascii(f.Fund);
            w.Amount(f.Outstanding);
        });
        if (_workerFunds is { } workerFunds)
        {
            w.List(workerFunds, static (f, w) =>
            {
                w.Ascii(f.Fund);
                w.I64(f.Balance);
            });
        }
    }

    // Version 1 records (no worker funds) still decode, re-encode to their own bytes and verify.
    private static SignedMessageCodec<LedgerCheckpointRecord> Versioned(SignedMessageCodec<LedgerCheckpointRecord> codec)
    {
        codec.AcceptFrom(1, static m => m._workerFunds is null ? (byte)1 : EncodingVersion, ReadFields);
        return codec;
    }

    private static LedgerCheckpointRecord ReadFields(ref ProtocolReader r, byte encoding)
    {
        ulong sequence = r.U64("sequence");
        var at = r.Time("taken_at");
        ulong logSize = r.U64("log_size");
        ulong journalEntries = r.U64("journal_entries");
        byte[] hash = r.Fixed(HashLength, "journal_head").ToArray();
        var totals = r.List("totals", 255, static (ref ProtocolReader r) => ((LedgerTotalKind)r.U8("account_kind"), r.I64("balance")));
        var keysets = r.List("keysets", MaxKeysets, static (ref ProtocolReader r) => (r.Keyset("keyset_id"), r.Amount("outstanding", positive: true)));
        var funds = r.List("funds", MaxFunds, static (ref ProtocolReader r) => (r.Ascii("fund"), r.Amount("outstanding", positive: true)));
        ImmutableArray<(string Fund, long Balance)>? workerFunds = null;
        if (encoding >= 2)
        {
            var read = r.List("worker_funds", MaxFunds, static (ref ProtocolReader r) => (r.Ascii("fund"), r.I64("balance")));
            if (read.Any(f => f.Item2 == 0 || f.Item1.Contains('/', StringComparison.Ordinal)))
            {
                throw new ProtocolFormatException("A ledger checkpoint's worker fund total is zero or names a fund with '/'.");
            }

            ProtocolCodec.RequireAscending(read, static (a, b) => string.CompareOrdinal(a.Item1, b.Item1), "Ledger checkpoint worker funds are not strictly ascending.");
            workerFunds = read.Select(f => (f.Item1, f.Item2)).ToImmutableArray();
        }

        if (sequence == 0 || at.ToUnixTimeSeconds() % 60 != 0)
        {
            throw new ProtocolFormatException("A ledger checkpoint's sequence starts at 1 and its time is a whole minute.");
        }

        if (totals.Any(t => t.Item1 == 0 || t.Item2 == 0))
        {
            throw new ProtocolFormatException("A ledger checkpoint total names kind 0 or is zero.");
        }

        ProtocolCodec.RequireAscending(totals, static (a, b) => a.Item1.CompareTo(b.Item1), "Ledger checkpoint totals are not strictly ascending.");
        ProtocolCodec.RequireAscending(keysets, static (a, b) => a.Item1.CompareTo(b.Item1), "Ledger checkpoint keysets are not strictly ascending.");
        ProtocolCodec.RequireAscending(funds, static (a, b) => string.CompareOrdinal(a.Item1, b.Item1), "Ledger checkpoint funds are not strictly ascending.");
        return new LedgerCheckpointRecord(sequence, at, logSize, journalEntries, hash, totals, keysets, funds, workerFunds, r.Signature());
    }
}
