using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Http.Wire;

/// <summary>
/// The HTTP envelopes around PB/1 messages (docs/http.md "Bodies"): results with their status, and the lists the
/// restore and directory endpoints exchange. Nested messages keep their own canonical encodings.
/// </summary>
internal static class BodyCodec
{
    public const byte Version = 1;

    /// <summary>The largest list a restore query may carry (one withdrawal's worth of items).</summary>
    public const int MaxQueryItems = WithdrawalRequest.MaxItems;

    // Largest nested message: a withdrawal response of 1024 signatures of a 8192-bit key, with headroom.
    private const int MaxNested = 16 * 1024 * 1024;

    public delegate T Reader<out T>(ref BodyReader reader);

    public static T Decode<T>(ReadOnlySpan<byte> body, Reader<T> read, string message)
    {
        var reader = new BodyReader(body);
        T value;
        try
        {
            value = read(ref reader);
        }
        catch (Exception ex) when (ex is ArgumentException or CryptographicException)
        {
            throw new ProtocolFormatException($"Invalid field in {message}.", ex);
        }

        reader.End(message);
        return value;
    }

    public static byte[] EncodeWithdrawalResult(WithdrawalResult result)
    {
        var w = ResultHead((byte)result.Status, result.Response?.Encode());
        return w.ToArray();
    }

    public static WithdrawalResult DecodeWithdrawalResult(ReadOnlySpan<byte> body) => Decode(body, static (ref BodyReader r) =>
    {
        var (status, present) = ReadResultHead(ref r, "withdrawal result", WithdrawalStatus.Issued, "response");
        var response = present ? WithdrawalResponse.Decode(r.Opaque32("response", MaxNested)) : null;
        return new WithdrawalResult(status, response);
    }, "withdrawal result");

    public static byte[] EncodeSwapResult(SwapResult result)
    {
        var w = ResultHead((byte)result.Status, result.Response?.Encode());
        w.U8(result.Index is null ? (byte)0 : (byte)1);
        if (result.Index is int index)
        {
            w.U16(index);
        }

        WriteNested(w, result.Proofs.Select(p => p.Encode()));
        return w.ToArray();
    }

    public static SwapResult DecodeSwapResult(ReadOnlySpan<byte> body) => Decode(body, static (ref BodyReader r) =>
    {
        var (status, present) = ReadResultHead(ref r, "swap result", SwapStatus.Swapped, "response");
        var response = present ? SwapResponse.Decode(r.Opaque32("response", MaxNested)) : null;
        int? index = null;
        if (r.Flag("index"))
        {
            int value = r.U16("index");
            index = value < SwapRequest.MaxItems ? value : throw new ProtocolFormatException("Swap input index out of range.");
        }

        var proofs = ReadNested(ref r, "double-spend proof", SwapRequest.MaxItems, static b => SwapDoubleSpendProof.Decode(b));

        return new SwapResult(status, response, index, proofs);
    }, "swap result");

    public static byte[] EncodeDepositResult(DepositResult result)
    {
        var w = ResultHead((byte)result.Status, result.Receipt?.Encode());

        w.U16(result.Rejections.Count);
        foreach (var rejection in result.Rejections)
        {
            w.U16(rejection.Index);
            w.U8((byte)rejection.Reason);
        }

        WriteNested(w, result.DoubleSpendProofs.Select(p => p.Encode()));
        return w.ToArray();
    }

    public static DepositResult DecodeDepositResult(ReadOnlySpan<byte> body) => Decode(body, static (ref BodyReader r) =>
    {
        var (status, present) = ReadResultHead(ref r, "deposit result", DepositStatus.Accepted, "receipt");
        var receipt = present ? DepositReceipt.Decode(r.Opaque32("receipt", MaxNested)) : null;
        var rejections = new DepositRejection[r.Count("rejections", DepositRequest.MaxSpends)];
        for (int i = 0; i < rejections.Length; i++)
        {
            int index = r.U16("rejection index");
            var reason = (DepositRejectionReason)r.U8("rejection reason");
            if (!Enum.IsDefined(reason) || index >= DepositRequest.MaxSpends)
            {
                throw new ProtocolFormatException("Invalid deposit rejection.");
            }

            rejections[i] = new DepositRejection(index, reason);
        }

        var proofs = ReadNested(ref r, "double-spend proof", DepositRequest.MaxSpends, static b => DoubleSpendProof.Decode(b));

        return new DepositResult(status, receipt, rejections, proofs);
    }, "deposit result");

    public static byte[] EncodeBlindedMessages(IReadOnlyList<BlindedMessage> messages)
    {
        var w = new BodyWriter();
        w.U8(Version);
        w.U16(messages.Count);
        foreach (var m in messages)
        {
            w.Opaque16(m.AsSpan());
        }

        return w.ToArray();
    }

    public static BlindedMessage[] DecodeBlindedMessages(ReadOnlySpan<byte> body, int maxItems) => Decode(body, (ref BodyReader r) =>
    {
        r.Version("blinded messages");
        var messages = new BlindedMessage[r.Count("blinded messages", maxItems)];
        for (int i = 0; i < messages.Length; i++)
        {
            messages[i] = BlindedMessage.FromBytes(r.Opaque16("blinded message", 1));
        }

        return messages;
    }, "blinded messages");

    public static byte[] EncodeBlindSignatures(IReadOnlyList<BlindSignature?> signatures)
    {
        var w = new BodyWriter();
        w.U8(Version);
        w.U16(signatures.Count);
        foreach (var s in signatures)
        {
            w.U8(s is null ? (byte)0 : (byte)1);
            if (s is not null)
            {
                w.Opaque16(s.AsSpan());
            }
        }

        return w.ToArray();
    }

    public static BlindSignature?[] DecodeBlindSignatures(ReadOnlySpan<byte> body) => Decode(body, static (ref BodyReader r) =>
    {
        r.Version("blind signatures");
        var signatures = new BlindSignature?[r.Count("blind signatures", ushort.MaxValue)];
        for (int i = 0; i < signatures.Length; i++)
        {
            signatures[i] = r.Flag("blind signature") ? BlindSignature.FromBytes(r.Opaque16("blind signature", 1)) : null;
        }

        return signatures;
    }, "blind signatures");

    public static byte[] EncodeCoinIds(IReadOnlyList<CoinId> coins)
    {
        var w = new BodyWriter(3 + (coins.Count * CoinId.Length));
        w.U8(Version);
        w.U16(coins.Count);
        foreach (var c in coins)
        {
            w.Fixed(c.Bytes);
        }

        return w.ToArray();
    }

    public static CoinId[] DecodeCoinIds(ReadOnlySpan<byte> body, int maxItems) => Decode(body, (ref BodyReader r) =>
    {
        r.Version("coin ids");
        var coins = new CoinId[r.Count("coin ids", maxItems)];
        for (int i = 0; i < coins.Length; i++)
        {
            coins[i] = new CoinId(r.Fixed(CoinId.Length, "coin id"));
        }

        return coins;
    }, "coin ids");

    public static byte[] EncodeFlags(IReadOnlyList<bool> flags)
    {
        var w = new BodyWriter(3 + flags.Count);
        w.U8(Version);
        w.U16(flags.Count);
        foreach (bool f in flags)
        {
            w.U8(f ? (byte)1 : (byte)0);
        }

        return w.ToArray();
    }

    public static bool[] DecodeFlags(ReadOnlySpan<byte> body) => Decode(body, static (ref BodyReader r) =>
    {
        r.Version("spent flags");
        var flags = new bool[r.Count("spent flags", ushort.MaxValue)];
        for (int i = 0; i < flags.Length; i++)
        {
            flags[i] = r.Flag("spent flag");
        }

        return flags;
    }, "spent flags");

    public static byte[] EncodeKeysets(IReadOnlyList<PublishedKeyset> keysets)
    {
        var w = new BodyWriter();
        w.U8(Version);
        w.U16(keysets.Count);
        foreach (var k in keysets)
        {
            w.Opaque32(k.Announcement.Encode());
            w.U64(k.LogIndex);
            w.U8(k.Revoked ? (byte)1 : (byte)0);
        }

        return w.ToArray();
    }

    public static PublishedKeyset[] DecodeKeysets(ReadOnlySpan<byte> body) => Decode(body, static (ref BodyReader r) =>
    {
        r.Version("keysets");
        var keysets = new PublishedKeyset[r.Count("keysets", ushort.MaxValue)];
        for (int i = 0; i < keysets.Length; i++)
        {
            var announcement = KeysetAnnouncement.Decode(r.Opaque32("keyset announcement", MaxNested));
            keysets[i] = new PublishedKeyset(announcement, r.U64("log index"), r.Flag("revoked"));
        }

        return keysets;
    }, "keysets");

    public static byte[] EncodeRegistries(IReadOnlyList<AccreditationRegistry> registries)
    {
        var w = new BodyWriter();
        w.U8(Version);
        w.U16(registries.Count);
        foreach (var registry in registries)
        {
            w.Opaque32(registry.Encode());
        }

        return w.ToArray();
    }

    public static AccreditationRegistry[] DecodeRegistries(ReadOnlySpan<byte> body) => Decode(body, static (ref BodyReader r) =>
    {
        r.Version("registries");
        var registries = new AccreditationRegistry[r.Count("registries", ushort.MaxValue)];
        for (int i = 0; i < registries.Length; i++)
        {
            registries[i] = AccreditationRegistry.Decode(r.Opaque32("registry", MaxNested));
        }

        return registries;
    }, "registries");

    public static byte[] EncodePaymentSubmission(PaymentRequest request, IReadOnlyList<CoinSpend> spends)
    {
        var w = new BodyWriter(1024);
        w.U8(Version);
        w.Opaque32(request.Encode());
        w.U16(spends.Count);
        foreach (var spend in spends)
        {
            w.Opaque32(spend.Encode());
        }

        return w.ToArray();
    }

    public static (PaymentRequest Request, CoinSpend[] Spends) DecodePaymentSubmission(ReadOnlySpan<byte> body, int maxItems) => Decode(body, (ref BodyReader r) =>
    {
        r.Version("payment submission");
        var request = PaymentRequest.Decode(r.Opaque32("payment request", MaxNested));
        var spends = new CoinSpend[r.Count("spends", maxItems)];
        if (spends.Length == 0)
        {
            throw new ProtocolFormatException("A payment submission has at least one spend.");
        }

        for (int i = 0; i < spends.Length; i++)
        {
            spends[i] = CoinSpend.Decode(r.Opaque32("spend", MaxNested));
        }

        return (request, spends);
    }, "payment submission");

    public static byte[] EncodePaymentResult(PaymentVerification verification) => [Version, (byte)verification];

    public static PaymentVerification DecodePaymentResult(ReadOnlySpan<byte> body) => Decode(body, static (ref BodyReader r) =>
    {
        r.Version("payment result");
        var verification = (PaymentVerification)r.U8("verification");
        return Enum.IsDefined(verification) ? verification : throw new ProtocolFormatException("Unknown payment verification.");
    }, "payment result");

    public delegate T NestedDecoder<out T>(ReadOnlySpan<byte> encoded);

    // Every result envelope starts alike: version, status, and the nested success message exactly when the status
    // is the success one (docs/http.md "Bodies").
    private static BodyWriter ResultHead(byte status, byte[]? nested)
    {
        var w = new BodyWriter();
        w.U8(Version);
        w.U8(status);
        w.U8(nested is null ? (byte)0 : (byte)1);
        if (nested is not null)
        {
            w.Opaque32(nested);
        }

        return w;
    }

    private static (TStatus Status, bool Present) ReadResultHead<TStatus>(ref BodyReader r, string message, TStatus success, string nested)
        where TStatus : struct, Enum
    {
        r.Version(message);
        var status = (TStatus)Enum.ToObject(typeof(TStatus), r.U8("status"));
        if (!Enum.IsDefined(status))
        {
            throw new ProtocolFormatException($"Unknown {message.Split(' ')[0]} status.");
        }

        bool present = r.Flag(nested);
        if (present != status.Equals(success))
        {
            throw new ProtocolFormatException($"A {message.Split(' ')[0]} {nested} comes with, and only with, the {success.ToString().ToLowerInvariant()} status.");
        }

        return (status, present);
    }

    // A u16 count of length-prefixed nested messages (double-spend proofs).
    private static void WriteNested(BodyWriter w, IEnumerable<byte[]> items)
    {
        var list = items.ToList();
        w.U16(list.Count);
        foreach (byte[] item in list)
        {
            w.Opaque32(item);
        }
    }

    private static T[] ReadNested<T>(ref BodyReader r, string field, int max, NestedDecoder<T> decode)
    {
        var items = new T[r.Count(field + "s", max)];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = decode(r.Opaque32(field, MaxNested));
        }

        return items;
    }
}
