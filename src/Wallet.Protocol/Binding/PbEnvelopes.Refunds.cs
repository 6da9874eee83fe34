namespace Wallet.Protocol.Binding;

// The refund claim result envelope (docs/PROTOCOL.md 5.17, docs/http.md "Bodies").
public static partial class PbEnvelopes
{
    /// <summary>Encodes a refund claim result envelope (status, the response when accepted, the coin or output refused).</summary>
    /// <param name="result">The result to encode.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public static byte[] EncodeRefundClaimResult(RefundClaimResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var w = ResultHead((byte)result.Status, result.Response?.Encode());
        w.Flag(result.Index is not null);
        if (result.Index is int index)
        {
            w.U16(index);
        }

        return w.ToArray();
    }

    /// <summary>Decodes a refund claim result envelope (status, the response when accepted, the coin or output refused).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; the response is decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static RefundClaimResult DecodeRefundClaimResult(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        var (status, present) = ReadResultHead(ref r, "refund result", RefundClaimStatus.Accepted, "response");
        var response = present ? RefundClaimResponse.Decode(r.Opaque32("response", 1, MaxNested)) : null;
        int? index = null;
        if (r.Flag("index"))
        {
            int value = r.U16("index");
            index = value < RefundClaimRequest.MaxOutputs ? value : throw new ProtocolFormatException("Refund claim index out of range.");
        }

        return new RefundClaimResult(status, response, index);
    }, "refund claim result");
}
