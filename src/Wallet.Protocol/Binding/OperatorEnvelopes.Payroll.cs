namespace Wallet.Protocol.Binding;

// The payroll batch and its results (docs/PROTOCOL.md 5.21, docs/http.md "Operator API").
public static partial class OperatorEnvelopes
{
    /// <summary>The most lines one payroll batch envelope may carry (the endpoint's own limit and the body limit usually bind first).</summary>
    public const int MaxPayrollLines = 100_000;

    // A line's smallest encoding: three one-character tokens, the source and the amount.
    private const int MinPayrollLineBytes = (3 * 2) + 1 + 8;

    /// <summary>Encodes a payroll batch: a u32 line count, then per line contributor, line key, source, worker and amount.</summary>
    /// <param name="lines">The lines, 1 to <see cref="MaxPayrollLines"/>.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="lines"/> or an item of it is null.</exception>
    /// <exception cref="ArgumentException"><paramref name="lines"/> is empty or longer than <see cref="MaxPayrollLines"/>.</exception>
    public static byte[] EncodePayrollBatch(IReadOnlyList<PayrollLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        if (lines.Count is 0 or > MaxPayrollLines)
        {
            throw new ArgumentException($"A payroll batch has 1 to {MaxPayrollLines} lines.", nameof(lines));
        }

        var w = Start();
        w.U32((uint)lines.Count);
        foreach (var line in lines)
        {
            ArgumentNullException.ThrowIfNull(line, nameof(lines));
            w.Ascii(line.Contributor.Value);
            w.Ascii(line.LineKey.Value);
            w.U8((byte)line.Source);
            w.Ascii(line.Worker.Value);
            w.I64(line.Amount.MinorUnits);
        }

        return w.ToArray();
    }

    /// <summary>Decodes a payroll batch.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The lines, at least one.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope, including a negative amount, a line count the body cannot hold and a token that breaks the rules of <see cref="PayrollLine"/>.</exception>
    public static PayrollLine[] DecodePayrollBatch(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "payroll batch");
        uint count = r.U32("lines");

        // A count the body cannot hold is refused before anything is allocated for it.
        if (count is 0 or > MaxPayrollLines || count > (uint)r.Remaining / MinPayrollLineBytes)
        {
            throw new ProtocolFormatException("Invalid payroll line count.");
        }

        var lines = new PayrollLine[count];
        for (int i = 0; i < lines.Length; i++)
        {
            var contributor = new AccountId(r.Ascii("contributor", 1, PayrollLine.MaxContributorLength));
            var lineKey = new IdempotencyKey(r.Ascii("line key", 1, PayrollLine.MaxLineKeyLength));
            var source = Defined<ContributionSource>(r.U8("source"), "contribution source");
            var worker = new AccountId(r.Ascii("worker", 1, IdempotencyKey.MaxLength));
            long amount = r.I64("amount");
            lines[i] = amount < 0
                ? throw new ProtocolFormatException("Negative payroll amount.")
                : new PayrollLine(contributor, lineKey, source, worker, Amount.FromMinorUnits(amount));
        }

        return lines;
    }, "payroll batch");

    /// <summary>Encodes a payroll batch's results: a u32 count, then per line its status and replay flag.</summary>
    /// <param name="results">The results, in line order.</param>
    /// <returns>The envelope bytes.</returns>
    /// <exception cref="ArgumentNullException"><paramref name="results"/> or an item of it is null.</exception>
    public static byte[] EncodePayrollResults(IReadOnlyList<PayrollLineResult> results)
    {
        ArgumentNullException.ThrowIfNull(results);
        var w = Start();
        w.U32((uint)results.Count);
        foreach (var result in results)
        {
            ArgumentNullException.ThrowIfNull(result, nameof(results));
            w.U8((byte)result.Status);
            w.Flag(result.IsReplay);
        }

        return w.ToArray();
    }

    /// <summary>Decodes a payroll batch's results.</summary>
    /// <param name="body">The envelope bytes.</param>
    /// <returns>The results, in line order.</returns>
    /// <exception cref="ProtocolFormatException">The bytes are not the canonical envelope.</exception>
    public static PayrollLineResult[] DecodePayrollResults(ReadOnlySpan<byte> body) => PbEnvelopes.Decode(body, static (ref ProtocolReader r) =>
    {
        r.Version(PbEnvelopes.Version, "payroll results");
        uint count = r.U32("results");
        if (count > MaxPayrollLines || count > (uint)r.Remaining / 2)
        {
            throw new ProtocolFormatException("Invalid payroll result count.");
        }

        var results = new PayrollLineResult[count];
        for (int i = 0; i < results.Length; i++)
        {
            results[i] = new PayrollLineResult(Defined<PayrollLineStatus>(r.U8("status"), "payroll line status"), r.Flag("replay"));
        }

        return results;
    }, "payroll results");
}
