namespace Wallet.Protocol.Binding;

/// <summary>
/// The HTTP envelopes around PB/1 messages (docs/http.md "Bodies"): results with their status, and the lists the
/// restore and directory endpoints exchange. Nested messages keep their own canonical encodings. The client
/// (Wallet.Protocol.Http) and the server (Wallet.Protocol.AspNetCore) both speak through this type.
/// </summary>
/// <remarks>
/// Big-endian, version byte first, no trailing bytes, the same presentation language as PB/1 (docs/PROTOCOL.md
/// section 2). Every decoder throws only <see cref="ProtocolFormatException"/> on malformed input.
/// </remarks>
public static partial class PbEnvelopes
{
    /// <summary>The envelope version every body starts with.</summary>
    public const byte Version = 1;

    /// <summary>The largest list a restore query may carry (one withdrawal's worth of items).</summary>
    public const int MaxQueryItems = WithdrawalRequest.MaxItems;

    // Largest nested message: a withdrawal response of 1024 signatures of a 8192-bit key, with headroom.
    private const int MaxNested = 16 * 1024 * 1024;

    private delegate T NestedDecoder<out T>(ReadOnlySpan<byte> encoded);

    /// <summary>Runs an envelope reader: value constructors' and key imports' refusals become format errors.</summary>
    internal static T Decode<T>(ReadOnlySpan<byte> body, ProtocolCodec.Reader<T> read, string message)
    {
        try
        {
            return ProtocolCodec.Decode(body, read, message);
        }
        catch (CryptographicException ex)
        {
            throw new ProtocolFormatException($"Invalid field in {message}.", ex);
        }
    }

    /// <summary>Encodes a withdrawal result envelope (status, the withdrawal response when issued, the reversal receipt when reversed).</summary>
    /// <param name="result">The result to encode.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeWithdrawalResult(WithdrawalResult result)
    {
        var w = ResultHead((byte)result.Status, result.Response?.Encode());
        w.Flag(result.Reversal is not null);
        if (result.Reversal is not null)
        {
            w.Opaque32(result.Reversal.Encode());
        }

        return w.ToArray();
    }

    /// <summary>Decodes a withdrawal result envelope (status, the withdrawal response when issued, the reversal receipt when reversed).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static WithdrawalResult DecodeWithdrawalResult(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        var (status, present) = ReadResultHead(ref r, "withdrawal result", WithdrawalStatus.Issued, "response");
        var response = present ? WithdrawalResponse.Decode(r.Opaque32("response", 1, MaxNested)) : null;
        bool reversed = r.Flag("reversal");
        if (reversed != (status == WithdrawalStatus.Reversed))
        {
            throw new ProtocolFormatException("A withdrawal reversal comes with, and only with, the reversed status.");
        }

        var reversal = reversed ? WithdrawalReversalReceipt.Decode(r.Opaque32("reversal", 1, MaxNested)) : null;
        return new WithdrawalResult(status, response) { Reversal = reversal };
    }, "withdrawal result");

    /// <summary>Encodes a swap or recovery result envelope (status, the response when swapped, the failing input, double-spend proofs).</summary>
    /// <param name="result">The result to encode.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeSwapResult(SwapResult result)
    {
        var w = ResultHead((byte)result.Status, result.Response?.Encode());
        w.Flag(result.Index is not null);
        if (result.Index is int index)
        {
            w.U16(index);
        }

        WriteNested(w, result.Proofs.Select(p => p.Encode()));
        return w.ToArray();
    }

    /// <summary>Decodes a swap or recovery result envelope (status, the response when swapped, the failing input, double-spend proofs).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static SwapResult DecodeSwapResult(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        var (status, present) = ReadResultHead(ref r, "swap result", SwapStatus.Swapped, "response");
        var response = present ? SwapResponse.Decode(r.Opaque32("response", 1, MaxNested)) : null;
        int? index = null;
        if (r.Flag("index"))
        {
            int value = r.U16("index");
            index = value < SwapRequest.MaxItems ? value : throw new ProtocolFormatException("Swap input index out of range.");
        }

        var proofs = ReadNested(ref r, "double-spend proof", SwapRequest.MaxItems, static b => SwapDoubleSpendProof.Decode(b));

        return new SwapResult(status, response, index, proofs);
    }, "swap result");

    /// <summary>Encodes a deposit result envelope (status, receipt, rejections, double-spend proofs and the per-payment outcomes).</summary>
    /// <param name="result">The result to encode.</param>
    /// <returns>The envelope bytes.</returns>
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
        WritePayments(w, result.Payments);
        return w.ToArray();
    }

    /// <summary>Encodes a deposit's per-payment outcomes alone, as the deposit result envelope carries them (what a scheme store keeps for replay).</summary>
    /// <param name="payments">The outcomes, in batch order.</param>
    /// <returns>The encoding: <c>u8 version ‖ u16 count ‖ count × (payment_id[32] ‖ u8 status ‖ u8 reason ‖ proofs)</c>.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="payments"/> is null.</exception>
    public static byte[] EncodeDepositPayments(IReadOnlyList<DepositPaymentOutcome> payments)
    {
        ArgumentNullException.ThrowIfNull(payments);
        var w = new ProtocolWriter();
        w.U8(Version);
        WritePayments(w, payments);
        return w.ToArray();
    }

    /// <summary>Decodes the encoding of <see cref="EncodeDepositPayments"/>.</summary>
    /// <param name="encoded">The bytes.</param>
    /// <returns>The outcomes; proofs are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not a canonical outcome list.</exception>
    public static IReadOnlyList<DepositPaymentOutcome> DecodeDepositPayments(ReadOnlySpan<byte> encoded) => Decode(encoded, static (ref ProtocolReader r) =>
    {
        r.Version(Version, "deposit payments");
        return ReadPayments(ref r);
    }, "deposit payments");

    /// <summary>Decodes a deposit result envelope (status, receipt, rejections, double-spend proofs and the per-payment outcomes).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static DepositResult DecodeDepositResult(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        var (status, present) = ReadResultHead(ref r, "deposit result", DepositStatus.Accepted, "receipt");
        var receipt = present ? DepositReceipt.Decode(r.Opaque32("receipt", 1, MaxNested)) : null;
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
        var payments = ReadPayments(ref r);
        return new DepositResult(status, receipt, rejections, proofs) { Payments = payments };
    }, "deposit result");

    /// <summary>Encodes a restore query: a list of blinded messages.</summary>
    /// <param name="messages">The blinded messages.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeBlindedMessages(IReadOnlyList<BlindedMessage> messages)
    {
        var w = new ProtocolWriter();
        w.U8(Version);
        w.U16(messages.Count);
        foreach (var m in messages)
        {
            w.Opaque16(m.AsSpan());
        }

        return w.ToArray();
    }

    /// <summary>Decodes a restore query: a list of blinded messages.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <param name="maxItems">The most list items accepted.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static BlindedMessage[] DecodeBlindedMessages(ReadOnlySpan<byte> body, int maxItems) => Decode(body, (ref ProtocolReader r) =>
    {
        r.Version(Version, "blinded messages");
        return r.List("blinded messages", maxItems, static (ref ProtocolReader r) => BlindedMessage.FromBytes(r.Opaque16("blinded message", 1))).AsSpan().ToArray();
    }, "blinded messages");

    /// <summary>Encodes a restore answer: a list of optional blind signatures.</summary>
    /// <param name="signatures">The blind signatures, null where none is stored.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeBlindSignatures(IReadOnlyList<BlindSignature?> signatures)
    {
        var w = new ProtocolWriter();
        w.U8(Version);
        w.U16(signatures.Count);
        foreach (var s in signatures)
        {
            w.Flag(s is not null);
            if (s is not null)
            {
                w.Opaque16(s.AsSpan());
            }
        }

        return w.ToArray();
    }

    /// <summary>Decodes a restore answer: a list of optional blind signatures.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static BlindSignature?[] DecodeBlindSignatures(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(Version, "blind signatures");
        return r.List("blind signatures", ushort.MaxValue, static (ref ProtocolReader r) => r.Flag("blind signature") ? BlindSignature.FromBytes(r.Opaque16("blind signature", 1)) : null).AsSpan().ToArray();
    }, "blind signatures");

    /// <summary>Encodes a spent query: a list of coin ids.</summary>
    /// <param name="coins">The coin ids.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeCoinIds(IReadOnlyList<CoinId> coins)
    {
        var w = new ProtocolWriter(3 + (coins.Count * CoinId.Length));
        w.U8(Version);
        w.U16(coins.Count);
        foreach (var c in coins)
        {
            w.Fixed(c.Bytes);
        }

        return w.ToArray();
    }

    /// <summary>Decodes a spent query: a list of coin ids.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <param name="maxItems">The most list items accepted.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static CoinId[] DecodeCoinIds(ReadOnlySpan<byte> body, int maxItems) => Decode(body, (ref ProtocolReader r) =>
    {
        r.Version(Version, "coin ids");
        return r.List("coin ids", maxItems, static (ref ProtocolReader r) => new CoinId(r.Fixed(CoinId.Length, "coin id"))).AsSpan().ToArray();
    }, "coin ids");

    /// <summary>Encodes a spent answer: a list of spent flags.</summary>
    /// <param name="flags">The flags.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeFlags(IReadOnlyList<bool> flags)
    {
        var w = new ProtocolWriter(3 + flags.Count);
        w.U8(Version);
        w.U16(flags.Count);
        foreach (bool f in flags)
        {
            w.Flag(f);
        }

        return w.ToArray();
    }

    /// <summary>Decodes a spent answer: a list of spent flags.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static bool[] DecodeFlags(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(Version, "spent flags");
        return r.List("spent flags", ushort.MaxValue, static (ref ProtocolReader r) => r.Flag("spent flag")).AsSpan().ToArray();
    }, "spent flags");

    /// <summary>Encodes the keyset directory: announcements with log index and revocation flag.</summary>
    /// <param name="keysets">The keysets.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeKeysets(IReadOnlyList<PublishedKeyset> keysets)
    {
        var w = new ProtocolWriter();
        w.U8(Version);
        w.U16(keysets.Count);
        foreach (var k in keysets)
        {
            w.Opaque32(k.Announcement.Encode());
            w.U64(k.LogIndex);
            w.Flag(k.Revoked);
        }

        return w.ToArray();
    }

    /// <summary>Decodes the keyset directory: announcements with log index and revocation flag.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static PublishedKeyset[] DecodeKeysets(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(Version, "keysets");
        var keysets = new PublishedKeyset[r.Count("keysets", ushort.MaxValue)];
        for (int i = 0; i < keysets.Length; i++)
        {
            var announcement = KeysetAnnouncement.Decode(r.Opaque32("keyset announcement", 1, MaxNested));
            keysets[i] = new PublishedKeyset(announcement, r.U64("log index"), r.Flag("revoked"));
        }

        return keysets;
    }, "keysets");

    /// <summary>Encodes the list of accreditation registry versions.</summary>
    /// <param name="registries">The registry versions, oldest first.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodeRegistries(IReadOnlyList<AccreditationRegistry> registries)
    {
        var w = new ProtocolWriter();
        w.U8(Version);
        w.U16(registries.Count);
        foreach (var registry in registries)
        {
            w.Opaque32(registry.Encode());
        }

        return w.ToArray();
    }

    /// <summary>Decodes the list of accreditation registry versions.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static AccreditationRegistry[] DecodeRegistries(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(Version, "registries");
        return r.List("registries", ushort.MaxValue, static (ref ProtocolReader r) => AccreditationRegistry.Decode(r.Opaque32("registry", 1, MaxNested))).AsSpan().ToArray();
    }, "registries");

    /// <summary>Encodes a payment submission: the payment offer (the request with its details, <see cref="PaymentRequest.EncodeOffer"/>) and the coin spends.</summary>
    /// <param name="request">The payment request, with its details.</param>
    /// <param name="spends">The coin spends.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodePaymentSubmission(PaymentRequest request, IReadOnlyList<CoinSpend> spends)
    {
        var w = new ProtocolWriter(1024);
        w.U8(Version);
        w.Opaque32(request.EncodeOffer());
        w.U16(spends.Count);
        foreach (var spend in spends)
        {
            w.Opaque32(spend.Encode());
        }

        return w.ToArray();
    }

    /// <summary>Decodes a payment submission: the payment request and the coin spends.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <param name="maxItems">The most list items accepted.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static (PaymentRequest Request, CoinSpend[] Spends) DecodePaymentSubmission(ReadOnlySpan<byte> body, int maxItems) => Decode(body, (ref ProtocolReader r) =>
    {
        r.Version(Version, "payment submission");
        var request = PaymentRequest.DecodeOffer(r.Opaque32("payment offer", 1, MaxNested));
        var spends = new CoinSpend[r.Count("spends", maxItems)];
        if (spends.Length == 0)
        {
            throw new ProtocolFormatException("A payment submission has at least one spend.");
        }

        for (int i = 0; i < spends.Length; i++)
        {
            spends[i] = CoinSpend.Decode(r.Opaque32("spend", 1, MaxNested));
        }

        return (request, spends);
    }, "payment submission");

    /// <summary>Encodes a provider's verdict on a payment submission.</summary>
    /// <param name="verification">The verdict or report to encode.</param>
    /// <returns>The envelope bytes.</returns>
    public static byte[] EncodePaymentResult(PaymentVerification verification) => [Version, (byte)verification];

    /// <summary>Decodes a provider's verdict on a payment submission.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static PaymentVerification DecodePaymentResult(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(Version, "payment result");
        var verification = (PaymentVerification)r.U8("verification");
        return Enum.IsDefined(verification) ? verification : throw new ProtocolFormatException("Unknown payment verification.");
    }, "payment result");

    // Every result envelope starts alike: version, status, and the nested success message exactly when the status
    // is the success one (docs/http.md "Bodies").
    private static ProtocolWriter ResultHead(byte status, byte[]? nested)
    {
        var w = new ProtocolWriter();
        w.U8(Version);
        w.U8(status);
        w.Flag(nested is not null);
        if (nested is not null)
        {
            w.Opaque32(nested);
        }

        return w;
    }

    private static (TStatus Status, bool Present) ReadResultHead<TStatus>(ref ProtocolReader r, string message, TStatus success, string nested)
        where TStatus : struct, Enum
    {
        r.Version(Version, message);
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
    private static void WriteNested(ProtocolWriter w, IEnumerable<byte[]> items)
    {
        var list = items.ToList();
        w.U16(list.Count);
        foreach (byte[] item in list)
        {
            w.Opaque32(item);
        }
    }

    // Per payment: its id, status, reason (0 unless rejected) and proofs (only for a double spend, at least one).
    private static void WritePayments(ProtocolWriter w, IReadOnlyList<DepositPaymentOutcome> payments)
    {
        w.U16(payments.Count);
        foreach (var payment in payments)
        {
            w.Fixed(payment.Payment.Bytes);
            w.U8((byte)payment.Status);
            w.U8((byte)(payment.Reason ?? 0));
            WriteNested(w, payment.DoubleSpendProofs.Select(p => p.Encode()));
        }
    }

    private static DepositPaymentOutcome[] ReadPayments(ref ProtocolReader r)
    {
        var payments = new DepositPaymentOutcome[r.Count("payments", DepositRequest.MaxSpends)];
        var seen = new HashSet<PaymentId>();
        for (int i = 0; i < payments.Length; i++)
        {
            var id = new PaymentId(r.Fixed(PaymentId.Length, "payment_id"));
            var status = (DepositPaymentStatus)r.U8("payment status");
            byte reasonByte = r.U8("payment reason");
            var reason = (DepositRejectionReason)reasonByte;
            var proofs = ReadNested(ref r, "double-spend proof", DepositRequest.MaxSpends, static b => DoubleSpendProof.Decode(b));
            bool rejected = status == DepositPaymentStatus.Rejected;
            if (!Enum.IsDefined(status) || !seen.Add(id)
                || rejected != (reasonByte != 0) || (rejected && !Enum.IsDefined(reason))
                || (status == DepositPaymentStatus.DoubleSpend) != (proofs.Length > 0))
            {
                throw new ProtocolFormatException("Invalid deposit payment outcome.");
            }

            payments[i] = new DepositPaymentOutcome(id, status, rejected ? reason : null, proofs);
        }

        return payments;
    }

    private static T[] ReadNested<T>(ref ProtocolReader r, string field, int max, NestedDecoder<T> decode)
    {
        var items = new T[r.Count(field + "s", max)];
        for (int i = 0; i < items.Length; i++)
        {
            items[i] = decode(r.Opaque32(field, 1, MaxNested));
        }

        return items;
    }
}
