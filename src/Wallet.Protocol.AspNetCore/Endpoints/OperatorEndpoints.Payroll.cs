namespace Wallet.Protocol.AspNetCore.Endpoints;

// The payroll batch (docs/PROTOCOL.md 5.21): a bounded body, a bounded line count, one operator call per Idempotency-Key.
internal sealed partial class OperatorEndpoints
{
    public Task ContributeBatch(HttpContext context) => Handle(context, OperatorMediaTypes.PayrollBatch, OperatorMediaTypes.PayrollResults, "payroll batch", body =>
    {
        var lines = OperatorEnvelopes.DecodePayrollBatch(body);

        // Refused whole before anything runs, so the client can split the batch and send the parts.
        return lines.Length > options.MaxPayrollLines
            ? throw new BatchTooLargeException()
            : ((IdempotencyKey?)null, async ct => OperatorEnvelopes.EncodePayrollResults(await scheme.ContributeBatchAsync(lines, ct).ConfigureAwait(false)));
    });

    private static Task BatchTooLarge(HttpContext context, int maxLines) =>
        Problems.WriteAsync(context, StatusCodes.Status400BadRequest, ProblemTypes.BatchTooLarge, "Batch too large", $"A payroll batch carries at most {maxLines} lines.");

    /// <summary>Thrown by a decoder whose request carries more items than the endpoint takes.</summary>
    private sealed class BatchTooLargeException : Exception
    {
    }
}
