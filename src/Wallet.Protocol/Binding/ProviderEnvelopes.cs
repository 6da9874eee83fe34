namespace Wallet.Protocol.Binding;

/// <summary>
/// The envelopes of a provider's endpoints beyond the payment submission (docs/http.md "Bodies"): a payment's status.
/// Same rules as <see cref="PbEnvelopes"/> (big-endian, version first, no trailing bytes); nested PB/1 messages keep
/// their own canonical encodings. Every decoder throws only <see cref="ProtocolFormatException"/> on malformed input.
/// </summary>
public static partial class ProviderEnvelopes
{
    private const int MaxNested = 16 * 1024 * 1024;

    /// <summary>
    /// Encodes a payment status: version, the payment id (32 bytes), the status; when paid, the spend receipt; when
    /// rejected, the scheme's payment outcome (rejected or double spend), a flagged reason and the double-spend proofs.
    /// </summary>
    /// <param name="state">The payment's state; not <see cref="ProviderPaymentStatus.Unknown"/> (that is a 404).</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="state"/> is null.</exception>
    /// <exception cref="ArgumentException">The state is unknown, or a paid state has no receipt or a rejected one no outcome.</exception>
    public static byte[] EncodePaymentStatus(ProviderPaymentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var w = new ProtocolWriter();
        w.U8(PbEnvelopes.Version);
        w.Fixed(state.Payment.Bytes);
        w.U8((byte)state.Status);
        switch (state.Status)
        {
            case ProviderPaymentStatus.Open or ProviderPaymentStatus.Verified:
                break;
            case ProviderPaymentStatus.Paid when state.Receipt is { } receipt:
                w.Opaque32(receipt.Encode());
                break;
            case ProviderPaymentStatus.Rejected when state.Rejection is { } rejection:
                w.U8((byte)rejection.Status);
                w.Flag(rejection.Reason is not null);
                if (rejection.Reason is { } reason)
                {
                    w.U8((byte)reason);
                }

                w.U16(rejection.DoubleSpendProofs.Count);
                foreach (var proof in rejection.DoubleSpendProofs)
                {
                    w.Opaque32(proof.Encode());
                }

                break;
            default:
                throw new ArgumentException("Only a known payment's state is encoded, with its receipt when paid and its outcome when rejected.", nameof(state));
        }

        return w.ToArray();
    }

    /// <summary>Decodes a payment status (see <see cref="EncodePaymentStatus"/>).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded state; nested messages are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static ProviderPaymentState DecodePaymentStatus(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "payment status");
        var payment = new PaymentId(r.Fixed(PaymentId.Length, "payment"));
        switch ((ProviderPaymentStatus)r.U8("status"))
        {
            case ProviderPaymentStatus.Open:
                return new ProviderPaymentState(payment, ProviderPaymentStatus.Open, null, null);
            case ProviderPaymentStatus.Verified:
                return new ProviderPaymentState(payment, ProviderPaymentStatus.Verified, null, null);
            case ProviderPaymentStatus.Paid:
                return ProviderPaymentState.Paid(payment, SpendReceipt.Decode(r.Opaque32("spend receipt", 1, MaxNested)));
            case ProviderPaymentStatus.Rejected:
                var outcome = (DepositPaymentStatus)r.U8("outcome");
                DepositRejectionReason? reason = r.Flag("reason") ? (DepositRejectionReason)r.U8("reason") : null;
                if (outcome is not (DepositPaymentStatus.Rejected or DepositPaymentStatus.DoubleSpend) || (reason is { } given && !Enum.IsDefined(given)))
                {
                    throw new ProtocolFormatException("A rejected payment is rejected or double spent, with a known reason if any.");
                }

                var proofs = new DoubleSpendProof[r.Count("double-spend proofs", DepositRequest.MaxSpends)];
                for (int i = 0; i < proofs.Length; i++)
                {
                    proofs[i] = DoubleSpendProof.Decode(r.Opaque32("double-spend proof", 1, MaxNested));
                }

                return ProviderPaymentState.Rejected(new DepositPaymentOutcome(payment, outcome, reason, proofs));
            default:
                throw new ProtocolFormatException("Unknown payment status.");
        }
    }, "payment status");
}
