using System.Text.Json.Nodes;

namespace Wallet.Protocol.Tests.Vectors;

// docs/PROTOCOL.md 5.23: worker-1 was paid 700 by employer-a (a payroll line) and 300 by a levy that named nobody,
// withdrew 500, and asks for its statement of January 2026 with its account key; the scheme answers and signs the receipt.
internal static partial class Pb1VectorCatalog
{
    private static void Statements(Func<string, string, JsonObject, Pb1Built> add)
    {
        var payroll = new JsonObject { ["ledger_key"] = "pay:employer-a:2026-01-w1", ["source"] = 1, ["contributor"] = "employer-a", ["fund"] = "general", ["amount"] = 700, ["recorded_at"] = T0 + (2 * Day) };
        var levy = new JsonObject { ["ledger_key"] = "levy-2026-01-w1", ["source"] = 3, ["fund"] = "general", ["amount"] = 300, ["recorded_at"] = T0 + (3 * Day) };
        var receipt = (JsonObject)payroll.DeepClone();
        receipt["worker"] = "worker-1";
        receipt["ledger_sequence"] = 2;
        receipt["signer"] = "scheme";
        add("ContributionReceipt", "ContributionReceipt", receipt);
        add("StatementRequest", "StatementRequest", new JsonObject
        {
            ["account_id"] = "worker-1",
            ["purpose"] = 1,
            ["from"] = T0,
            ["to"] = T0 + (31 * Day),
            ["signed_at"] = T0 + (31 * Day) + 60,
            ["nonce"] = "000102030405060708090a0b0c0d0e0f",
            ["signer"] = "worker-account",
        });
        var first = (JsonObject)payroll.DeepClone();
        first["ledger_sequence"] = 2;
        var second = (JsonObject)levy.DeepClone();
        second["ledger_sequence"] = 3;
        add("WorkerStatement", "WorkerStatement", new JsonObject
        {
            ["request"] = "@StatementRequest",
            ["as_of"] = T0 + (31 * Day) + 61,
            ["balances"] = new JsonArray(new JsonObject { ["fund"] = "general", ["balance"] = 500 }),
            ["contributions"] = new JsonArray(first, second),
            ["withdrawals"] = new JsonArray(new JsonObject { ["idempotency_key"] = "w-2026-01", ["total"] = 500, ["issued_at"] = T0 + (10 * Day) }),
            ["signer"] = "scheme",
        });
    }
}
