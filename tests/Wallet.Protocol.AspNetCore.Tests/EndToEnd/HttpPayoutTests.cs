using System.Net;
using Wallet.Protocol.Binding;
using Wallet.Protocol.Http.Client;
using Wallet.Protocol.Payouts;
using Wallet.Protocol.Roles;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Payouts;

namespace Wallet.Protocol.AspNetCore.Tests.EndToEnd;

/// <summary>The payout suite with every payout and ledger checkpoint going through the operator API over real HTTP (Kestrel on loopback).</summary>
public sealed class HttpPayoutTests : PayoutContract
{
    protected override async Task<(ProtocolWorld World, ISchemeOperator Operator)> CreateAsync()
    {
        var op = await OperatorServer.StartAsync();
        return (op.World, op.Client());
    }

    // Over HTTP the endpoint answers a key reused with another body itself (422), before the scheme sees it.
    protected override async Task AssertKeyReusedAsync(Func<Task<PayoutResult>> payout)
    {
        var refused = await Assert.ThrowsAsync<SchemeHttpException>(payout);
        Assert.Equal((HttpStatusCode.UnprocessableEntity, ProblemTypes.IdempotencyKeyReused), (refused.StatusCode, refused.ProblemType));
    }
}
