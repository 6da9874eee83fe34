namespace Wallet.Protocol.AspNetCore.Endpoints;

// The worker's statement and contribution receipts (docs/PROTOCOL.md 5.23): a request signed by the account key, read
// only; the scheme checks the key, the time and replays, so the endpoint only bounds and decodes the body.
internal sealed partial class SchemeEndpoints
{
    private static readonly Batch<StatementRequest, StatementResult> StatementReads = new(PbMediaTypes.StatementRequest, "statement request", Message<StatementRequest>(), _ => 1, null, (s, r, ct) => s.GetStatementAsync(r, ct), PbMediaTypes.StatementResult, PbEnvelopes.EncodeStatementResult);
    private static readonly Batch<StatementRequest, ContributionReceiptsResult> ReceiptReads = new(PbMediaTypes.StatementRequest, "statement request", Message<StatementRequest>(), _ => 1, null, (s, r, ct) => s.GetContributionReceiptsAsync(r, ct), PbMediaTypes.ContributionReceipts, PbEnvelopes.EncodeContributionReceipts);

    public Task Statement(HttpContext context) => Exchange(context, StatementReads);

    public Task ContributionReceipts(HttpContext context) => Exchange(context, ReceiptReads);
}
