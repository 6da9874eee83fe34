using Wallet.Crypto.Notes;
using Wallet.Protocol.Witnesses;

namespace Wallet.Protocol.Wallets.Files;

/// <summary>
/// The canonical encoding of a wallet's whole state, the plaintext of the sealed wallet file (docs/PROTOCOL.md
/// section 8.1). Version 6 is written; versions 1 (no pending swaps or recoveries), 2 (no payments), 3 (payments as
/// PB/1 version 1 requests), 4 (no checkpoint or split-view evidence) and 5 (no pending refund claims or dues mandates)
/// are still read, version 3 only without payments in it.
/// </summary>
internal static partial class WalletFileCodec
{
    /// <summary>The version written.</summary>
    public const byte CurrentVersion = 6;

    // Version 1 predates pending swaps and recoveries in the file, version 2 payments; both are read, never written.
    private const byte FirstVersion = 1;

    private const byte SwapsVersion = 2;

    // Version 3 kept payments as PB/1 version 1 requests (clear purpose), which this version cannot decode: such a file
    // is read only when it holds no payment; otherwise it is refused as unsupported rather than called malformed.
    private const byte PaymentsVersion = 3;

    // Version 4 predates the trusted checkpoint and the split-view evidence (PROTOCOL.md 5.13); it is read, never written.
    private const byte PaymentOffersVersion = 4;

    // Version 5 predates the pending refund claims (PROTOCOL.md 5.17) and the dues mandates (5.19); it is read, never written.
    private const byte CheckpointsVersion = 5;

    private const string LegacyPayments = "The wallet state holds payments in flight as PB/1 version 1 payment requests.";

    // Bounds of one recorded payment's fields.
    private const int MaxPaymentCoins = 1 << 16;

    // Bounds that keep a decoder's allocations proportional to the (already size-limited) file.
    private const int MaxItems = 1 << 24;

    /// <summary>Encodes the wallet's state, under its lock.</summary>
    public static byte[] Encode(WalletContext context)
    {
        var state = context.State;
        lock (state.Lock)
        {
            return ProtocolCodec.Encode(w =>
            {
                w.U8(CurrentVersion);
                w.Ascii(context.Account.Value);
                w.Fixed(context.AccountKey.PublicKey.AsSpan());
                w.Fixed(context.SchemeKey.AsSpan());
                w.U8(state.TreeHead is null ? (byte)0 : (byte)1);
                if (state.TreeHead is not null)
                {
                    w.Fixed(state.TreeHead.Encode());
                }

                w.U16(state.ForkEvidence.Count);
                foreach (var head in state.ForkEvidence)
                {
                    w.Fixed(head.Encode());
                }

                var keysets = state.Keysets.Values.OrderBy(k => k.Descriptor.Id).ToList();
                w.U32((uint)keysets.Count);
                foreach (var keyset in keysets)
                {
                    w.Opaque16(keyset.Descriptor.Encode());
                    w.U64(keyset.NextCounter);
                }

                var coins = state.Coins.Values.OrderBy(c => c.Coin.Id).ToList();
                w.U32((uint)coins.Count);
                foreach (var coin in coins)
                {
                    coin.Coin.Write(w);
                    w.U64(coin.Counter);
                }

                var spent = state.Spent.Order().ToList();
                w.U32((uint)spent.Count);
                foreach (var id in spent)
                {
                    w.Fixed(id.Bytes);
                }

                var pending = state.PendingWithdrawals.Values.OrderBy(p => p.Request.IdempotencyKey.Value, StringComparer.Ordinal).ToList();
                w.U32((uint)pending.Count);
                foreach (var withdrawal in pending)
                {
                    WritePending(w, withdrawal.Request.Encode(), withdrawal.Slots);
                }

                w.U32((uint)state.WithdrawalReceipts.Count);
                foreach (var receipt in state.WithdrawalReceipts)
                {
                    w.Opaque16(receipt.Encode());
                }

                w.U32((uint)state.SpendReceipts.Count);
                foreach (var receipt in state.SpendReceipts)
                {
                    w.Opaque16(receipt.Encode());
                }

                // Version 2 appends what version 1 kept only in memory.
                WritePendingSwaps<SwapRequest>(w, state, r => r.Encode());
                WritePendingSwaps<RecoveryRequest>(w, state, r => r.Encode());

                // Version 3 appends the payments not yet confirmed by a receipt.
                var payments = state.Payments.Values.OrderBy(p => p.Id).ToList();
                w.U32((uint)payments.Count);
                foreach (var payment in payments)
                {
                    WritePayment(w, payment);
                }

                // Version 5 appends the trusted checkpoint note and the split-view evidence.
                WriteCheckpoints(w, state);

                // Version 6 appends the pending refund claims, then the dues mandates and the periods paid.
                WritePendingRefundClaims(w, state);
                WalletFileMandates.Write(w, state);
            });
        }
    }

    /// <summary>Decodes <see cref="Encode"/> bytes of either version.</summary>
    /// <exception cref="WalletFileException">The version is not supported, or the state is malformed.</exception>
    public static WalletFileImage Decode(ReadOnlySpan<byte> state)
    {
        if (state.Length > 0 && state[0] is not (FirstVersion or SwapsVersion or PaymentsVersion or PaymentOffersVersion or CheckpointsVersion or CurrentVersion))
        {
            throw new WalletFileException(WalletFileError.UnsupportedVersion, "The wallet state version is not supported.");
        }

        try
        {
            return ProtocolCodec.Decode(state, Read, "wallet state");
        }
        catch (ProtocolFormatException ex) when (ex.Message == LegacyPayments)
        {
            throw new WalletFileException(WalletFileError.UnsupportedVersion, "The wallet file holds payments in flight in the PB/1 version 1 request format: settle or abandon them with the earlier release first.", ex);
        }
        catch (ProtocolFormatException ex)
        {
            throw new WalletFileException(WalletFileError.Malformed, "The wallet state is malformed.", ex);
        }
    }

    // Pending swaps and recoveries share one layout; the dictionary key is the request's idempotency key.
    private static void WritePendingSwaps<T>(ProtocolWriter w, WalletState state, Func<T, byte[]> encode)
        where T : class
    {
        var pending = state.PendingSwaps.Where(p => p.Value.Request is T).OrderBy(p => p.Key.Value, StringComparer.Ordinal).ToList();
        w.U32((uint)pending.Count);
        foreach (var (_, swap) in pending)
        {
            WritePending(w, encode((T)swap.Request), swap.Outputs);
        }
    }

    private static void WritePending(ProtocolWriter w, byte[] request, CoinSlot[] slots)
    {
        w.Opaque32(request);
        foreach (var slot in slots)
        {
            w.U64(slot.Counter);
        }
    }

    private static WalletFileImage Read(ref ProtocolReader r)
    {
        byte version = r.U8("wallet state.version");
        if (version is not (FirstVersion or SwapsVersion or PaymentsVersion or PaymentOffersVersion or CheckpointsVersion or CurrentVersion))
        {
            throw new ProtocolFormatException($"Unknown wallet state version {version}.");
        }

        var image = new WalletFileImage
        {
            Account = r.Account("account_id"),
            AccountKey = r.Fixed(Ed25519PublicKey.Length, "account_key").ToArray(),
            SchemeKey = r.Fixed(Ed25519PublicKey.Length, "scheme_key").ToArray(),
        };
        byte hasHead = r.U8("has_tree_head");
        if (hasHead > 1)
        {
            throw new ProtocolFormatException("Field 'has_tree_head' is not 0 or 1.");
        }

        if (hasHead == 1)
        {
            image.TreeHead = Head(ref r);
        }

        int forks = r.U16("fork_evidence");
        for (int i = 0; i < forks; i++)
        {
            image.ForkEvidence.Add(Head(ref r));
        }

        int keysets = Count32(ref r, "keysets");
        for (int i = 0; i < keysets; i++)
        {
            var descriptor = KeysetDescriptor.Decode(r.Opaque16("descriptor", 1));
            if (i > 0 && image.Keysets[^1].Descriptor.Id.CompareTo(descriptor.Id) >= 0)
            {
                throw new ProtocolFormatException("Keysets are not strictly ascending.");
            }

            image.Keysets.Add((descriptor, r.U64("next_counter")));
        }

        int coins = Count32(ref r, "coins");
        for (int i = 0; i < coins; i++)
        {
            var coin = Coin.Read(ref r);
            if (i > 0 && image.Coins[^1].Coin.Id.CompareTo(coin.Id) >= 0)
            {
                throw new ProtocolFormatException("Coins are not strictly ascending.");
            }

            image.Coins.Add((coin, r.U64("counter")));
        }

        int spent = Count32(ref r, "spent");
        for (int i = 0; i < spent; i++)
        {
            var id = r.Coin("coin_id");
            if (i > 0 && image.Spent[^1].CompareTo(id) >= 0)
            {
                throw new ProtocolFormatException("Spent coins are not strictly ascending.");
            }

            image.Spent.Add(id);
        }

        ReadPending(ref r, "pending", "Pending withdrawals are not strictly ascending.", image.Pending, b => WithdrawalRequest.Decode(b), q => q.IdempotencyKey, q => q.Items.Length);

        int withdrawalReceipts = Count32(ref r, "withdrawal_receipts");
        for (int i = 0; i < withdrawalReceipts; i++)
        {
            image.WithdrawalReceipts.Add(WithdrawalReceipt.Decode(r.Opaque16("receipt", 1)));
        }

        int spendReceipts = Count32(ref r, "spend_receipts");
        for (int i = 0; i < spendReceipts; i++)
        {
            image.SpendReceipts.Add(SpendReceipt.Decode(r.Opaque16("receipt", 1)));
        }

        if (version >= SwapsVersion)
        {
            ReadPending(ref r, "pending_swaps", "Field 'pending_swaps' is not strictly ascending.", image.PendingSwaps, b => SwapRequest.Decode(b), q => q.IdempotencyKey, q => q.Outputs.Length);
            ReadPending(ref r, "pending_recoveries", "Field 'pending_recoveries' is not strictly ascending.", image.PendingRecoveries, b => RecoveryRequest.Decode(b), q => q.IdempotencyKey, q => q.Outputs.Length);
        }

        if (version >= PaymentsVersion)
        {
            int payments = Count32(ref r, "payments");
            if (version == PaymentsVersion && payments > 0)
            {
                throw new ProtocolFormatException(LegacyPayments);
            }

            for (int i = 0; i < payments; i++)
            {
                var payment = ReadPayment(ref r);
                if (i > 0 && image.Payments[^1].Id.CompareTo(payment.Id) >= 0)
                {
                    throw new ProtocolFormatException("Field 'payments' is not strictly ascending.");
                }

                image.Payments.Add(payment);
            }
        }

        if (version >= CheckpointsVersion)
        {
            ReadCheckpoints(ref r, image);
        }

        if (version >= CurrentVersion)
        {
            ReadPendingRefundClaims(ref r, image);
            WalletFileMandates.Read(ref r, image);
        }

        return image;
    }

    // A count, then per entry the encoded request (strictly ascending by idempotency key) and one counter per new coin.
    private static void ReadPending<T>(ref ProtocolReader r, string field, string notAscending, List<(T Request, ulong[] Counters)> into, Func<byte[], T> decode, Func<T, IdempotencyKey> key, Func<T, int> outputs)
    {
        int count = Count32(ref r, field);
        for (int i = 0; i < count; i++)
        {
            var request = decode(r.Opaque32("request", 1, SealedFile.MaxPlaintextLength).ToArray());
            if (i > 0 && string.CompareOrdinal(key(into[^1].Request).Value, key(request).Value) >= 0)
            {
                throw new ProtocolFormatException(notAscending);
            }

            var counters = new ulong[outputs(request)];
            for (int j = 0; j < counters.Length; j++)
            {
                counters[j] = r.U64("counter");
            }

            into.Add((request, counters));
        }
    }

    // A payment: the request with its details (the offer, so the worker keeps the purpose), when it was prepared, its state, its coins (ascending), the abandon swap's key while
    // abandoning, the last refusal of that swap (0: none) and the double-spend proofs kept as evidence.
    private static void WritePayment(ProtocolWriter w, PaymentRecord payment)
    {
        w.Opaque16(payment.Request.EncodeOffer());
        w.Time(payment.PreparedAt);
        w.U8((byte)payment.State);
        w.U32((uint)payment.Coins.Length);
        foreach (var coin in payment.Coins)
        {
            w.Fixed(coin.Bytes);
        }

        if (payment.State == WalletPaymentState.Abandoning)
        {
            w.Ascii(payment.AbandonKey!.Value);
        }

        w.U8((byte)(payment.LastRefusal ?? 0));
        w.U32((uint)payment.Evidence.Count);
        foreach (var proof in payment.Evidence)
        {
            w.Opaque32(proof.Encode());
        }
    }

    private static PaymentRecord ReadPayment(ref ProtocolReader r)
    {
        var request = PaymentRequest.DecodeOffer(r.Opaque16("payment_offer", 1));
        var preparedAt = r.Time("prepared_at");
        var state = (WalletPaymentState)r.U8("payment_state");
        if (!Enum.IsDefined(state))
        {
            throw new ProtocolFormatException("Field 'payment_state' is not a payment state.");
        }

        int count = Count32(ref r, "payment_coins");
        if (count is 0 or > MaxPaymentCoins)
        {
            throw new ProtocolFormatException("Field 'payment_coins' is empty or too long.");
        }

        var coins = new CoinId[count];
        for (int i = 0; i < coins.Length; i++)
        {
            coins[i] = r.Coin("coin_id");
            if (i > 0 && coins[i - 1].CompareTo(coins[i]) >= 0)
            {
                throw new ProtocolFormatException("Field 'payment_coins' is not strictly ascending.");
            }
        }

        var payment = new PaymentRecord(request, coins, preparedAt) { State = state };
        if (state == WalletPaymentState.Abandoning)
        {
            payment.AbandonKey = new IdempotencyKey(r.Ascii("abandon_key"));
        }

        byte refusal = r.U8("last_refusal");
        if (refusal != 0)
        {
            payment.LastRefusal = Enum.IsDefined((SwapStatus)refusal) && refusal != (byte)SwapStatus.Swapped
                ? (SwapStatus)refusal
                : throw new ProtocolFormatException("Field 'last_refusal' is not a swap refusal.");
        }

        int evidence = Count32(ref r, "evidence");
        for (int i = 0; i < evidence; i++)
        {
            payment.Evidence.Add(SwapDoubleSpendProof.Decode(r.Opaque32("proof", 1, SealedFile.MaxPlaintextLength)));
        }

        return payment;
    }

    // u8 has_checkpoint; opaque checkpoint_note<1..2^18>[has_checkpoint]; u16 split_view_count; opaque split_view<1..2^20>[...].
    private static void WriteCheckpoints(ProtocolWriter w, WalletState state)
    {
        w.U8(state.Checkpoint is null ? (byte)0 : (byte)1);
        if (state.Checkpoint is not null)
        {
            w.Opaque32(state.Checkpoint.Note.Encode());
        }

        w.U16(state.SplitViews.Count);
        foreach (var evidence in state.SplitViews)
        {
            w.Opaque32(evidence.Encode());
        }
    }

    // Only the syntax is checked here; the loader checks the signatures against the scheme key.
    private static void ReadCheckpoints(ref ProtocolReader r, WalletFileImage image)
    {
        byte hasCheckpoint = r.U8("has_checkpoint");
        if (hasCheckpoint > 1)
        {
            throw new ProtocolFormatException("Field 'has_checkpoint' is not 0 or 1.");
        }

        try
        {
            if (hasCheckpoint == 1)
            {
                var note = SignedNote.Parse(r.Opaque32("checkpoint_note", 1, SignedNote.MaxEncodedLength));
                image.Checkpoint = new TrustedCheckpoint(note, Checkpoint.Parse(note.Text));
            }

            int count = r.U16("split_views");
            for (int i = 0; i < count; i++)
            {
                image.SplitViews.Add(SplitViewEvidence.Parse(r.Opaque32("split_view", 1, SplitViewEvidence.MaxEncodedLength)));
            }
        }
        catch (NoteFormatException ex)
        {
            throw new ProtocolFormatException("Field 'checkpoint_note' is not a signed checkpoint note.", ex);
        }
        catch (WitnessFormatException ex)
        {
            throw new ProtocolFormatException("Field 'split_view' is not split-view evidence.", ex);
        }
    }

    private static SignedTreeHead Head(ref ProtocolReader r)
    {
        var bytes = r.Fixed(SignedTreeHead.EncodedLength, "tree_head");
        return SignedTreeHead.TryDecode(bytes, out var head) ? head : throw new ProtocolFormatException("Field 'tree_head' is not a signed tree head.");
    }

    internal static int Count32(ref ProtocolReader r, string field)
    {
        uint count = r.U32(field);
        return count <= MaxItems && count <= (uint)r.Remaining ? (int)count : throw new ProtocolFormatException($"Field '{field}' has too many items.");
    }
}
