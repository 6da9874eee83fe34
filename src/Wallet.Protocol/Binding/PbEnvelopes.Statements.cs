namespace Wallet.Protocol.Binding;

// The statement and contribution receipts envelopes (docs/PROTOCOL.md 5.23, docs/http.md "Bodies").
public static partial class PbEnvelopes
{
    /// <summary>Encodes a statement result envelope (status, the statement when answered).</summary>
    /// <param name="result">The result to encode.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    public static byte[] EncodeStatementResult(StatementResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        return ResultHead((byte)result.Status, result.Statement?.Encode()).ToArray();
    }

    /// <summary>Decodes a statement result envelope (status, the statement when answered).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; the statement is decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static StatementResult DecodeStatementResult(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        var (status, present) = ReadResultHead(ref r, "statement result", StatementStatus.Answered, "statement");
        return new StatementResult(status, present ? WorkerStatement.Decode(r.Opaque32("statement", 1, MaxNested)) : null);
    }, "statement result");

    /// <summary>Encodes a contribution receipts envelope (status, then the receipts; none unless answered).</summary>
    /// <param name="result">The result to encode.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="result"/> is null.</exception>
    /// <exception cref="ArgumentException">Receipts come with a refusal, or there are more than <see cref="WorkerStatement.MaxLines"/>.</exception>
    public static byte[] EncodeContributionReceipts(ContributionReceiptsResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        if (result.Receipts.Count > WorkerStatement.MaxLines || (result.Status != StatementStatus.Answered && result.Receipts.Count > 0))
        {
            throw new ArgumentException("Receipts come only with an answer, at most 4096.", nameof(result));
        }

        var w = new ProtocolWriter();
        w.U8(Version);
        w.U8((byte)result.Status);
        WriteNested(w, result.Receipts.Select(r => r.Encode()));
        return w.ToArray();
    }

    /// <summary>Decodes a contribution receipts envelope (status, then the receipts; none unless answered).</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The decoded value; the receipts are decoded but not verified.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static ContributionReceiptsResult DecodeContributionReceipts(ReadOnlySpan<byte> body) => Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(Version, "contribution receipts");
        var status = (StatementStatus)r.U8("status");
        if (!Enum.IsDefined(status))
        {
            throw new ProtocolFormatException("Unknown statement status.");
        }

        var receipts = ReadNested(ref r, "receipt", WorkerStatement.MaxLines, static b => ContributionReceipt.Decode(b));
        if (status != StatementStatus.Answered && receipts.Length > 0)
        {
            throw new ProtocolFormatException("Contribution receipts come only with the answered status.");
        }

        return new ContributionReceiptsResult(status, receipts);
    }, "contribution receipts");
}
