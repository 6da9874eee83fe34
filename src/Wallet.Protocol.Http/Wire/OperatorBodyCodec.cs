using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Wire;

namespace Wallet.Protocol.Http.Wire;

/// <summary>
/// The operator API's envelopes (docs/http.md "Operator API"): same rules as <see cref="BodyCodec"/> (big-endian,
/// version first, no trailing bytes); tokens are a u8 length and printable ASCII; nested PB/1 messages keep their own
/// canonical encodings.
/// </summary>
internal static class OperatorBodyCodec
{
    /// <summary>The most accounts one default-allocation round may carry over HTTP (the body limit usually binds first).</summary>
    public const int MaxRoundAccounts = 1_000_000;

    /// <summary>The most ledger problems a verification report carries; a longer list is cut.</summary>
    public const int MaxProblems = 1000;

    private const int MaxNested = 16 * 1024 * 1024;

    public static byte[] EncodeAck() => [BodyCodec.Version];

    public static bool DecodeAck(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("acknowledgement");
        return true;
    }, "acknowledgement");

    public static byte[] EncodeSchemeKey(Ed25519PublicKey key)
    {
        var w = Start();
        w.Fixed(key.Export());
        return w.ToArray();
    }

    public static Ed25519PublicKey DecodeSchemeKey(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("scheme key");
        return Ed25519PublicKey.Import(r.Fixed(Ed25519PublicKey.Length, "scheme key"));
    }, "scheme key");

    public static byte[] EncodeAccountKey(AccountId account, Ed25519PublicKey key)
    {
        var w = Start();
        w.Token(account.Value);
        w.Fixed(key.Export());
        return w.ToArray();
    }

    public static (AccountId Account, Ed25519PublicKey Key) DecodeAccountKey(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("account key");
        var account = new AccountId(r.Token("account"));
        return (account, Ed25519PublicKey.Import(r.Fixed(Ed25519PublicKey.Length, "account key")));
    }, "account key");

    public static byte[] EncodeContribution(IdempotencyKey key, ContributionSource source, AccountId worker, Amount amount)
    {
        var w = Start();
        w.Token(key.Value);
        w.U8((byte)source);
        w.Token(worker.Value);
        w.I64(amount.MinorUnits);
        return w.ToArray();
    }

    public static (IdempotencyKey Key, ContributionSource Source, AccountId Worker, Amount Amount) DecodeContribution(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("contribution");
        var key = new IdempotencyKey(r.Token("idempotency key"));
        var source = Defined<ContributionSource>(r.U8("source"), "contribution source");
        var worker = new AccountId(r.Token("worker"));
        return (key, source, worker, Amount.FromMinorUnits(r.I64("amount")));
    }, "contribution");

    public static byte[] EncodeContributionResult(ContributionResult result)
    {
        var w = Start();
        w.U8((byte)result.Status);
        w.U8(result.IsReplay ? (byte)1 : (byte)0);
        return w.ToArray();
    }

    public static ContributionResult DecodeContributionResult(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("contribution result");
        return new ContributionResult(Defined<LedgerStatus>(r.U8("status"), "ledger status"), r.Flag("replay"));
    }, "contribution result");

    public static byte[] EncodeKeysetRequest(IdempotencyKey key, KeysetParameters parameters)
    {
        var w = Start();
        w.Token(key.Value);
        w.U32(parameters.Epoch);
        w.I64(parameters.Denomination.MinorUnits);
        w.Token(parameters.Fund);
        w.I64(parameters.WithdrawFrom.ToUnixTimeSeconds());
        w.I64(parameters.WithdrawUntil.ToUnixTimeSeconds());
        w.I64(parameters.SpendUntil.ToUnixTimeSeconds());
        w.I64(parameters.DepositUntil.ToUnixTimeSeconds());
        w.U8((byte)parameters.Mode);
        w.U16(parameters.ModulusBits);
        return w.ToArray();
    }

    public static (IdempotencyKey Key, KeysetParameters Parameters) DecodeKeysetRequest(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("keyset parameters");
        var key = new IdempotencyKey(r.Token("idempotency key"));
        uint epoch = r.U32("epoch");
        var denomination = Amount.FromMinorUnits(r.I64("denomination"));
        string fund = r.Token("fund");
        var times = new DateTimeOffset[4];
        for (int i = 0; i < times.Length; i++)
        {
            times[i] = DateTimeOffset.FromUnixTimeSeconds(r.I64("window"));
        }

        var mode = Defined<BlindRsaScheme>(r.U8("mode"), "keyset mode");
        return (key, new KeysetParameters(epoch, denomination, fund, times[0], times[1], times[2], times[3], mode, r.U16("modulus bits")));
    }, "keyset parameters");

    public static byte[] EncodeKeyset(PublishedKeyset keyset)
    {
        var w = Start();
        w.Opaque32(keyset.Announcement.Encode());
        w.U64(keyset.LogIndex);
        w.U8(keyset.Revoked ? (byte)1 : (byte)0);
        return w.ToArray();
    }

    public static PublishedKeyset DecodeKeyset(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("keyset");
        var announcement = KeysetAnnouncement.Decode(r.Opaque32("keyset announcement", MaxNested));
        return new PublishedKeyset(announcement, r.U64("log index"), r.Flag("revoked"));
    }, "keyset");

    public static byte[] EncodePublished(bool published) => [BodyCodec.Version, published ? (byte)1 : (byte)0];

    public static bool DecodePublished(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("publication result");
        return r.Flag("published");
    }, "publication result");

    public static byte[] EncodeKeysetId(KeysetId keyset)
    {
        var w = Start();
        w.Fixed(keyset.Bytes);
        return w.ToArray();
    }

    public static KeysetId DecodeKeysetId(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("keyset id");
        return new KeysetId(r.Fixed(KeysetId.Length, "keyset id"));
    }, "keyset id");

    /// <summary>An optional log entry; the expiry and allocation records travel as the entries that log them.</summary>
    public static byte[] EncodeLogRecord(LogEntry? entry)
    {
        var w = Start();
        w.U8(entry is null ? (byte)0 : (byte)1);
        if (entry is not null)
        {
            w.Opaque32(entry.Encode());
        }

        return w.ToArray();
    }

    public static LogEntry? DecodeLogRecord(ReadOnlySpan<byte> body, LogEntryKind kind) => BodyCodec.Decode(body, (ref BodyReader r) =>
    {
        r.Version("log record");
        if (!r.Flag("present"))
        {
            return null;
        }

        var entry = LogEntry.Decode(r.Opaque32("log entry", MaxNested));
        return entry.Kind == kind ? entry : throw new ProtocolFormatException($"Expected a {kind} log entry.");
    }, "log record");

    public static byte[] EncodeAllocationRound(string round, IReadOnlyList<DefaultAllocationInput> workers)
    {
        var w = new BodyWriter(16 + (workers.Count * 40));
        w.U8(BodyCodec.Version);
        w.Token(round);
        w.U32(checked((uint)workers.Count));
        foreach (var worker in workers)
        {
            w.Token(worker.Account.Value);
            w.Token(worker.Sector);
            w.Token(worker.Region);
        }

        return w.ToArray();
    }

    public static (string Round, DefaultAllocationInput[] Workers) DecodeAllocationRound(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("allocation round");
        string round = r.Token("round");
        uint count = r.U32("accounts");

        // Each account takes at least 6 bytes, so a count the body cannot hold is refused before allocating for it.
        if (count > MaxRoundAccounts || count > (uint)r.Remaining / 6)
        {
            throw new ProtocolFormatException("Too many accounts.");
        }

        var workers = new DefaultAllocationInput[count];
        for (int i = 0; i < workers.Length; i++)
        {
            workers[i] = new DefaultAllocationInput(new AccountId(r.Token("account")), r.Token("sector"), r.Token("region"));
        }

        return (round, workers);
    }, "allocation round");

    public static byte[] EncodeLedgerAccount(LedgerAccount account)
    {
        var w = Start();
        w.U8((byte)account.Kind);
        w.Token(account.Key);
        return w.ToArray();
    }

    public static LedgerAccount DecodeLedgerAccount(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("ledger account");
        var kind = (LedgerAccountKind)r.U8("account kind");
        return LedgerAccount.TryCreate(kind, r.Token("account key", allowEmpty: true), out var account) ? account : throw new ProtocolFormatException("Invalid ledger account.");
    }, "ledger account");

    public static byte[] EncodeBalance(long balance)
    {
        var w = Start();
        w.I64(balance);
        return w.ToArray();
    }

    public static long DecodeBalance(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("balance");
        return r.I64("balance");
    }, "balance");

    public static byte[] EncodeKeysetTotals(KeysetTotals totals)
    {
        var w = Start();
        w.Fixed(totals.Keyset.Bytes);
        w.I64(totals.Issued.MinorUnits);
        w.I64(totals.Deposited.MinorUnits);
        w.I64(totals.SwappedIn.MinorUnits);
        w.I64(totals.Expired.MinorUnits);
        w.U8(totals.IsExpired ? (byte)1 : (byte)0);
        return w.ToArray();
    }

    public static KeysetTotals DecodeKeysetTotals(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("keyset totals");
        var keyset = new KeysetId(r.Fixed(KeysetId.Length, "keyset id"));
        Amount Next(ref BodyReader reader) => Amount.FromMinorUnits(reader.I64("total"));
        return new KeysetTotals(keyset, Next(ref r), Next(ref r), Next(ref r), Next(ref r), r.Flag("expired"));
    }, "keyset totals");

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

    public static LedgerVerification DecodeLedgerVerification(ReadOnlySpan<byte> body) => BodyCodec.Decode(body, static (ref BodyReader r) =>
    {
        r.Version("ledger verification");
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

    private static BodyWriter Start()
    {
        var w = new BodyWriter();
        w.U8(BodyCodec.Version);
        return w;
    }

    private static T Defined<T>(byte value, string field)
        where T : struct, Enum
    {
        var parsed = (T)Enum.ToObject(typeof(T), value);
        return Enum.IsDefined(parsed) ? parsed : throw new ProtocolFormatException($"Unknown {field}.");
    }
}
