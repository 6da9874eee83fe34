using System.Text.Json.Nodes;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Statements;

namespace Wallet.Protocol.Tests.Vectors;

// The statement messages (docs/PROTOCOL.md 5.23).
internal sealed partial class Pb1VectorBuilder
{
    private static ContributionRecord RecordOf(JsonObject line, string worker) => new(
        new IdempotencyKey(Str(line, "ledger_key")),
        new AccountId(worker),
        (ContributionSource)Int(line, "source"),
        line["contributor"] is null ? null : new AccountId(Str(line, "contributor")),
        Str(line, "fund"),
        Money(line, "amount"),
        Time(line, "recorded_at"));

    private ContributionReceipt ContributionReceiptOf(JsonObject inputs) =>
        ContributionReceipt.Sign(RecordOf(inputs, Str(inputs, "worker")), Long(inputs, "ledger_sequence"), Key(inputs, "signer"));

    private StatementRequest StatementRequestOf(JsonObject inputs) =>
        StatementRequest.Sign(new AccountId(Str(inputs, "account_id")), (StatementRequestPurpose)Int(inputs, "purpose"), Time(inputs, "from"), Time(inputs, "to"), Time(inputs, "signed_at"), Hex(inputs, "nonce"), Key(inputs, "signer"));

    private WorkerStatement WorkerStatementOf(JsonObject inputs)
    {
        var request = Ref<StatementRequest>(inputs, "request");
        var balances = List(inputs, "balances").Select(n => n!.AsObject()).Select(b => new FundBalance(Str(b, "fund"), Money(b, "balance"))).ToList();
        var lines = List(inputs, "contributions").Select(n => n!.AsObject()).Select(c => new StatementContribution(RecordOf(c, request.Account.Value), Long(c, "ledger_sequence"))).ToList();
        var withdrawals = List(inputs, "withdrawals").Select(n => n!.AsObject()).Select(w => new StatementWithdrawal(new IdempotencyKey(Str(w, "idempotency_key")), Money(w, "total"), Time(w, "issued_at"))).ToList();
        return WorkerStatement.Sign(request, Time(inputs, "as_of"), balances, lines, withdrawals, Key(inputs, "signer"));
    }
}
