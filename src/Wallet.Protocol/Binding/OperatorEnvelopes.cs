namespace Wallet.Protocol.Binding;

/// <summary>
/// The operator API's envelopes (docs/http.md "Operator API"): same rules as <see cref="PbEnvelopes"/> (big-endian,
/// version first, no trailing bytes); tokens are a u8 length and printable ASCII; nested PB/1 messages keep their own
/// canonical encodings. Every decoder throws only <see cref="ProtocolFormatException"/> on malformed input.
/// </summary>
public static partial class OperatorEnvelopes
{
    /// <summary>The most accounts one default-allocation round may carry over HTTP (the body limit usually binds first).</summary>
    public const int MaxRoundAccounts = 1_000_000;

    /// <summary>The most ledger problems a verification report carries; a longer list is cut.</summary>
    public const int MaxProblems = 1000;

    private const int MaxNested = 16 * 1024 * 1024;

    /// <summary>Encodes an operator acknowledgement (the version byte alone).</summary>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeAck() => [PbEnvelopes.Version];

    /// <summary>Decodes an operator acknowledgement (the version byte alone).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static bool DecodeAck(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "acknowledgement");
        return true;
    }, "acknowledgement");

    /// <summary>Encodes the scheme's Ed25519 public key.</summary>
    /// <param name="key">The key.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeSchemeKey(Ed25519PublicKey key)
    {
        var w = Start();
        w.Fixed(key.Export());
        return w.ToArray();
    }

    /// <summary>Decodes the scheme's Ed25519 public key.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static Ed25519PublicKey DecodeSchemeKey(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "scheme key");
        return Ed25519PublicKey.Import(r.Fixed(Ed25519PublicKey.Length, "scheme key"));
    }, "scheme key");

    /// <summary>Encodes an account id with the account's Ed25519 public key.</summary>
    /// <param name="account">The account.</param>
    /// <param name="key">The key.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeAccountKey(AccountId account, Ed25519PublicKey key)
    {
        var w = Start();
        w.Ascii(account.Value);
        w.Fixed(key.Export());
        return w.ToArray();
    }

    /// <summary>Decodes an account id with the account's Ed25519 public key.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static (AccountId Account, Ed25519PublicKey Key) DecodeAccountKey(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "account key");
        var account = new AccountId(r.Ascii("account", 1, byte.MaxValue));
        return (account, Ed25519PublicKey.Import(r.Fixed(Ed25519PublicKey.Length, "account key")));
    }, "account key");

    /// <summary>Encodes a keyset creation request: idempotency key and keyset parameters.</summary>
    /// <param name="key">The key.</param>
    /// <param name="parameters">The keyset parameters.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeKeysetRequest(IdempotencyKey key, KeysetParameters parameters)
    {
        var w = Start();
        w.Ascii(key.Value);
        w.U32(parameters.Epoch);
        w.I64(parameters.Denomination.MinorUnits);
        w.Ascii(parameters.Fund);
        w.I64(parameters.WithdrawFrom.ToUnixTimeSeconds());
        w.I64(parameters.WithdrawUntil.ToUnixTimeSeconds());
        w.I64(parameters.SpendUntil.ToUnixTimeSeconds());
        w.I64(parameters.DepositUntil.ToUnixTimeSeconds());
        w.U8((byte)parameters.Mode);
        w.U16(parameters.ModulusBits);
        return w.ToArray();
    }

    /// <summary>Decodes a keyset creation request: idempotency key and keyset parameters.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static (IdempotencyKey Key, KeysetParameters Parameters) DecodeKeysetRequest(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "keyset parameters");
        var key = new IdempotencyKey(r.Ascii("idempotency key", 1, byte.MaxValue));
        uint epoch = r.U32("epoch");
        var denomination = Amount.FromMinorUnits(r.I64("denomination"));
        string fund = r.Ascii("fund", 1, byte.MaxValue);
        var times = new DateTimeOffset[4];
        for (int i = 0; i < times.Length; i++)
        {
            times[i] = DateTimeOffset.FromUnixTimeSeconds(r.I64("window"));
        }

        var mode = Defined<BlindRsaScheme>(r.U8("mode"), "keyset mode");
        return (key, new KeysetParameters(epoch, denomination, fund, times[0], times[1], times[2], times[3], mode, r.U16("modulus bits")));
    }, "keyset parameters");

    /// <summary>Encodes one stored keyset: announcement, log index and revocation flag.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeKeyset(PublishedKeyset keyset)
    {
        var w = Start();
        w.Opaque32(keyset.Announcement.Encode());
        w.U64(keyset.LogIndex);
        w.Flag(keyset.Revoked);
        return w.ToArray();
    }

    /// <summary>Decodes one stored keyset: announcement, log index and revocation flag.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static PublishedKeyset DecodeKeyset(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "keyset");
        var announcement = KeysetAnnouncement.Decode(r.Opaque32("keyset announcement", 1, MaxNested));
        return new PublishedKeyset(announcement, r.U64("log index"), r.Flag("revoked"));
    }, "keyset");

    /// <summary>Encodes whether a keyset publication happened.</summary>
    /// <param name="published">Whether it was published.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodePublished(bool published) => [PbEnvelopes.Version, published ? (byte)1 : (byte)0];

    /// <summary>Decodes whether a keyset publication happened.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static bool DecodePublished(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "publication result");
        return r.Flag("published");
    }, "publication result");

    /// <summary>Encodes a keyset id.</summary>
    /// <param name="keyset">The keyset.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeKeysetId(KeysetId keyset)
    {
        var w = Start();
        w.Fixed(keyset.Bytes);
        return w.ToArray();
    }

    /// <summary>Decodes a keyset id.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static KeysetId DecodeKeysetId(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "keyset id");
        return new KeysetId(r.Fixed(KeysetId.Length, "keyset id"));
    }, "keyset id");

    /// <summary>Encodes a ledger checkpoint request: its idempotency key (docs/PROTOCOL.md 5.15).</summary>
    /// <param name="key">The idempotency key.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="key"/> is null.</exception>
    public static byte[] EncodeLedgerCheckpointRequest(IdempotencyKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var w = Start();
        w.Ascii(key.Value);
        return w.ToArray();
    }

    /// <summary>Decodes a ledger checkpoint request.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The idempotency key.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    /// <exception cref="ArgumentException">The key breaks the idempotency key rules.</exception>
    public static IdempotencyKey DecodeLedgerCheckpointRequest(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "ledger checkpoint request");
        return new IdempotencyKey(r.Ascii("idempotency key", 1, byte.MaxValue));
    }, "ledger checkpoint request");

    /// <summary>Encodes an optional log entry; the expiry and allocation records travel as the entries that log them.</summary>
    /// <param name="entry">The log entry, or null.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeLogRecord(LogEntry? entry)
    {
        var w = Start();
        w.Flag(entry is not null);
        if (entry is not null)
        {
            w.Opaque32(entry.Encode());
        }

        return w.ToArray();
    }

    /// <summary>Decodes an optional log entry (the expiry and allocation records travel as the entries that log them).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <param name="kind">The log entry kind expected.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static LogEntry? DecodeLogRecord(ReadOnlySpan<byte> body, LogEntryKind kind) => PbEnvelopes.Decode(body, (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "log record");
        if (!r.Flag("present"))
        {
            return null;
        }

        var entry = LogEntry.Decode(r.Opaque32("log entry", 1, MaxNested));
        return entry.Kind == kind ? entry : throw new ProtocolFormatException($"Expected a {kind} log entry.");
    }, "log record");

    /// <summary>Encodes an optional reversal summary (none when the keyset is unknown or not revoked).</summary>
    /// <param name="summary">The summary, or null.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeReversalSummary(WithdrawalReversalSummary? summary)
    {
        var w = Start();
        w.Flag(summary is not null);
        if (summary is not null)
        {
            w.Fixed(summary.Keyset.Bytes);
            w.U32(checked((uint)summary.Withdrawals));
            w.Amount(summary.Value);
        }

        return w.ToArray();
    }

    /// <summary>Decodes an optional reversal summary.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value, or null when none was sent.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static WithdrawalReversalSummary? DecodeReversalSummary(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "reversal summary");
        if (!r.Flag("present"))
        {
            return null;
        }

        var keyset = r.Keyset("keyset_id");
        uint withdrawals = r.U32("withdrawals");
        if (withdrawals > int.MaxValue)
        {
            throw new ProtocolFormatException("Too many withdrawals.");
        }

        return new WithdrawalReversalSummary(keyset, (int)withdrawals, r.Amount("value"));
    }, "reversal summary");

    /// <summary>Encodes a ledger account: kind and key.</summary>
    /// <param name="account">The account.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeLedgerAccount(LedgerAccount account)
    {
        var w = Start();
        w.U8((byte)account.Kind);
        w.Ascii(account.Key);
        return w.ToArray();
    }

    /// <summary>Decodes a ledger account: kind and key.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static LedgerAccount DecodeLedgerAccount(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "ledger account");
        var kind = (LedgerAccountKind)r.U8("account kind");
        return LedgerAccount.TryCreate(kind, r.Ascii("account key", 0, byte.MaxValue), out var account) ? account : throw new ProtocolFormatException("Invalid ledger account.");
    }, "ledger account");

    /// <summary>Encodes a ledger balance in minor units.</summary>
    /// <param name="balance">The balance.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeBalance(long balance)
    {
        var w = Start();
        w.I64(balance);
        return w.ToArray();
    }

    /// <summary>Decodes a ledger balance in minor units.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static long DecodeBalance(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "balance");
        return r.I64("balance");
    }, "balance");

    /// <summary>Encodes a keyset's conservation totals.</summary>
    /// <param name="totals">The totals.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeKeysetTotals(KeysetTotals totals)
    {
        var w = Start();
        w.Fixed(totals.Keyset.Bytes);
        w.I64(totals.Issued.MinorUnits);
        w.I64(totals.Deposited.MinorUnits);
        w.I64(totals.SwappedIn.MinorUnits);
        w.I64(totals.Expired.MinorUnits);
        w.I64(totals.Reversed.MinorUnits);
        w.Flag(totals.IsExpired);
        return w.ToArray();
    }

    /// <summary>Decodes a keyset's conservation totals.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static KeysetTotals DecodeKeysetTotals(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "keyset totals");
        var keyset = new KeysetId(r.Fixed(KeysetId.Length, "keyset id"));
        Amount Next(ref ProtocolReader reader) => Amount.FromMinorUnits(reader.I64("total"));
        return new KeysetTotals(keyset, Next(ref r), Next(ref r), Next(ref r), Next(ref r), Next(ref r), r.Flag("expired"));
    }, "keyset totals");

    /// <summary>Encodes a ledger verification report (at most MaxProblems problems).</summary>
    /// <param name="verification">The verdict or report to encode.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeLedgerVerification(LedgerVerification verification)
    {
        var w = Start();
        w.I64(verification.EntryCount);
        w.I64(verification.Head.Sequence);
        w.Fixed(verification.Head.Hash.Bytes);
        w.U32(checked((uint)verification.AccountCount));
        var problems = verification.Problems.Take(MaxProblems).ToList();
        w.U16(problems.Count);
        foreach (string problem in problems)
        {
            byte[] text = System.Text.Encoding.UTF8.GetBytes(problem);
            w.Opaque16(text.AsSpan(0, Math.Min(text.Length, ushort.MaxValue)));
        }

        return w.ToArray();
    }

    /// <summary>Decodes a ledger verification report (at most MaxProblems problems).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static LedgerVerification DecodeLedgerVerification(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "ledger verification");
        long entries = r.I64("entry count");
        var head = new JournalHead(r.I64("head sequence"), new EntryHash(r.Fixed(EntryHash.Length, "head hash")));
        uint accounts = r.U32("account count");
        var problems = new string[r.Count("problems", MaxProblems)];
        for (int i = 0; i < problems.Length; i++)
        {
            problems[i] = System.Text.Encoding.UTF8.GetString(r.Opaque16("problem", 0));
        }

        return new LedgerVerification(entries, head, accounts <= int.MaxValue ? (int)accounts : throw new ProtocolFormatException("Invalid account count."), problems);
    }, "ledger verification");

    private static ProtocolWriter Start()
    {
        var w = new ProtocolWriter();
        w.U8(PbEnvelopes.Version);
        return w;
    }

    private static T Defined<T>(byte value, string field)
        where T : struct, Enum
    {
        var parsed = (T)Enum.ToObject(typeof(T), value);
        return Enum.IsDefined(parsed) ? parsed : throw new ProtocolFormatException($"Unknown {field}.");
    }
}
