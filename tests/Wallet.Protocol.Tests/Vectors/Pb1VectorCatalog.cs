using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Seeds;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Vectors;

/// <summary>
/// The generator of pb1-vectors.json: fixed inputs for one vector per PB/1 message type, log entry kind and journal
/// entry kind, built with <see cref="Pb1VectorBuilder"/>. The RSA values (issuer signatures, blinded messages, blind
/// signatures, recovery salts and blinding factors) are computed here from the fixed RSA key and wallet seed and enter
/// the file as inputs; everything Ed25519-signed is re-signed from the seeds whenever the file is replayed.
/// </summary>
internal static partial class Pb1VectorCatalog
{
    /// <summary>An Ed25519 key named N has the seed SHA-256(ASCII(KeyLabel + N)).</summary>
    public const string KeyLabel = "PB1 vector key ";

    /// <summary>The wallet seed (salts and blinding factors, docs/derivation.md) is SHA-256(ASCII(WalletSeedLabel)).</summary>
    public const string WalletSeedLabel = "PB1 vector wallet seed";

    /// <summary>The RSA key of the keyset: tests/Wallet.Crypto.Tests/Keys/rsa2048.pem.</summary>
    public const string RsaKeyName = "rsa2048";

    public static readonly string[] Ed25519Names = ["scheme", "accreditation-body", "provider-receipt", "worker-account", "coin-1", "coin-2", "coin-3", "coin-4", "coin-5"];

    /// <summary>2026-01-01T00:00:00Z, the base of every time in the file.</summary>
    private const long T0 = 1_767_225_600;

    private const long Day = 86_400;

    public static byte[] SeedOf(string name) => SHA256.HashData(Encoding.ASCII.GetBytes(KeyLabel + name));

    public static JsonObject Generate()
    {
        var seeds = Ed25519Names.ToDictionary(n => n, SeedOf);
        using var builder = new Pb1VectorBuilder(seeds);
        var vectors = new JsonArray();
        Pb1Built Add(string name, string type, JsonObject inputs)
        {
            var normalized = JsonNode.Parse(inputs.ToJsonString())!.AsObject();
            var built = builder.Add(name, type, normalized);
            vectors.Add(Pb1VectorFile.Describe(name, type, normalized, built));
            return built;
        }

        var rsa = ProtocolKeys.Rsa2048;
        var blinding = new Blinding(rsa, SHA256.HashData(Encoding.ASCII.GetBytes(WalletSeedLabel)), seeds);
        Messages(Add, blinding);
        LogEntries(Add, builder);
        JournalEntries(Add, builder);
        Refunds(Add, builder);
        Statements(Add);
        Funds(Add);

        return new JsonObject
        {
            ["format"] = "PB/1 known-answer vectors",
            ["version"] = 1,
            ["readme"] = "tests/Wallet.Protocol.Tests/Vectors/README.md",
            ["keys"] = Pb1VectorFile.Keys(seeds, rsa, blinding.WalletSeed),
            ["vectors"] = vectors,
        };
    }

    private static void Messages(Func<string, string, JsonObject, Pb1Built> add, Blinding blinding)
    {
        var descriptor = (KeysetDescriptor)add("KeysetDescriptor", "KeysetDescriptor", new JsonObject
        {
            ["epoch"] = 1,
            ["denomination"] = 500,
            ["fund"] = "general",
            ["withdraw_from"] = T0,
            ["withdraw_until"] = T0 + (30 * Day),
            ["spend_until"] = T0 + (60 * Day),
            ["deposit_until"] = T0 + (90 * Day),
            ["mode"] = (int)BlindRsaScheme.Rsabssa,
            ["public_key"] = Hex(blinding.Key.PublicKey.ExportSubjectPublicKeyInfo()),
        }).Value;
        string keyset = Hex(descriptor.Id.Bytes);
        add("KeysetAnnouncement", "KeysetAnnouncement", new JsonObject { ["descriptor"] = "@KeysetDescriptor", ["signer"] = "scheme" });
        add("AccreditationRegistry", "AccreditationRegistry", new JsonObject
        {
            ["registry_version"] = 3,
            ["issued_at"] = T0 - Day,
            ["providers"] = new JsonArray(
                new JsonObject { ["provider_id"] = "provider-1", ["name"] = "Clínica Norte", ["categories"] = new JsonArray("health", "training"), ["receipt_key"] = "provider-receipt", ["valid_from"] = T0 - Day, ["valid_until"] = T0 + (365 * Day) },
                new JsonObject { ["provider_id"] = "provider-2", ["name"] = "Escuela Sur", ["categories"] = new JsonArray("training"), ["receipt_key"] = "accreditation-body", ["valid_from"] = T0, ["valid_until"] = T0 + (180 * Day) }),
            ["signer"] = "accreditation-body",
        });
        add("DefaultAllocationTable", "DefaultAllocationTable", new JsonObject
        {
            ["table_version"] = 2,
            ["issued_at"] = T0 - Day,
            ["rules"] = new JsonArray(
                new JsonObject { ["sector"] = "*", ["region"] = "*", ["provider_id"] = "provider-1" },
                new JsonObject { ["sector"] = "care", ["region"] = "*", ["provider_id"] = "provider-2" },
                new JsonObject { ["sector"] = "care", ["region"] = "north", ["provider_id"] = "provider-1" }),
            ["signer"] = "accreditation-body",
        });

        add("DefaultAllocationTable/SeveralJobs", "DefaultAllocationTable", new JsonObject
        {
            ["table_version"] = 3,
            ["issued_at"] = T0,
            ["rules"] = new JsonArray(
                new JsonObject { ["sector"] = "*", ["region"] = "*", ["provider_id"] = "provider-1" },
                new JsonObject { ["sector"] = "care", ["region"] = "*", ["provider_id"] = "provider-2" }),
            ["several_jobs_rule"] = 2,
            ["signer"] = "accreditation-body",
        });

        // Coins 1 and 2 are withdrawn (counters 0 and 1); 3, 4 and 5 are the outputs of the swaps and the recovery.
        var coins = Enumerable.Range(1, 5).Select(i => blinding.Blind(descriptor, $"coin-{i}", (ulong)(i - 1))).ToList();
        add("Coin", "Coin", CoinInputs(keyset, coins[0]));
        add("Coin#2", "Coin", CoinInputs(keyset, coins[1]));
        add("PaymentDetails", "PaymentDetails", Details("Physiotherapy, 2 sessions", "salt-1", T0 + (2 * Day) + 37_800 + 900));
        add("PaymentDetails#2", "PaymentDetails", Details("Course fee", "salt-2", T0 + (3 * Day) + 900));
        add("PaymentRequest", "PaymentRequest", Request(500, "@PaymentDetails", "nonce-1", T0 + (2 * Day) + 37_800));
        add("PaymentRequest#2", "PaymentRequest", Request(500, "@PaymentDetails#2", "nonce-2", T0 + (3 * Day)));
        add("CoinSpend", "CoinSpend", new JsonObject { ["coin"] = "@Coin", ["request"] = "@PaymentRequest", ["coin_key"] = "coin-1" });
        add("CoinSpend#2", "CoinSpend", new JsonObject { ["coin"] = "@Coin", ["request"] = "@PaymentRequest#2", ["coin_key"] = "coin-1" });
        add("DoubleSpendProof", "DoubleSpendProof", new JsonObject { ["first"] = "@CoinSpend", ["second"] = "@CoinSpend#2" });
        add("SpendReceipt", "SpendReceipt", new JsonObject { ["request"] = "@PaymentRequest", ["paid_at"] = T0 + (2 * Day) + 60, ["signer"] = "provider-receipt" });
        add("HolderProof", "HolderProof", new JsonObject { ["purpose"] = 1, ["provider_id"] = "provider-1", ["payment"] = "@PaymentRequest", ["signed_at"] = T0 + (2 * Day) + 120, ["nonce"] = Hex(SHA256.HashData(Encoding.ASCII.GetBytes("holder-nonce-1")).AsSpan(0, 16).ToArray()), ["coin_keys"] = new JsonArray("coin-2", "coin-1") });
        add("WithdrawalRequest", "WithdrawalRequest", new JsonObject
        {
            ["account_id"] = "worker-1",
            ["idempotency_key"] = "withdraw-2026-01-01",
            ["items"] = new JsonArray(Item(keyset, coins[0]), Item(keyset, coins[1])),
            ["created_at"] = T0 + 3600,
            ["signer"] = "worker-account",
        });
        add("WithdrawalReceipt", "WithdrawalReceipt", new JsonObject { ["request"] = "@WithdrawalRequest", ["total"] = 1000, ["issued_at"] = T0 + 3601, ["signer"] = "scheme" });
        add("WithdrawalResponse", "WithdrawalResponse", new JsonObject { ["receipt"] = "@WithdrawalReceipt", ["blind_signatures"] = new JsonArray(Hex(coins[0].BlindSignature), Hex(coins[1].BlindSignature)) });
        add("WithdrawalReversalReceipt", "WithdrawalReversalReceipt", new JsonObject { ["request"] = "@WithdrawalRequest", ["total"] = 1000, ["reversed_at"] = T0 + (2 * Day), ["signer"] = "scheme" });
        add("DepositRequest", "DepositRequest", new JsonObject { ["provider_id"] = "provider-1", ["idempotency_key"] = "deposit-1", ["spends"] = new JsonArray("@CoinSpend") });

        var swap = add("SwapRequest", "SwapRequest", new JsonObject
        {
            ["idempotency_key"] = "swap-1",
            ["inputs"] = new JsonArray(new JsonObject { ["coin"] = "@Coin", ["coin_key"] = "coin-1" }),
            ["outputs"] = new JsonArray(Item(keyset, coins[2])),
        });
        add("SwapSpend", "SwapSpend", new JsonObject { ["swap_request"] = "@SwapRequest", ["index"] = 0 });
        add("SwapResponse", "SwapResponse", new JsonObject { ["request_hash"] = Hex(swap.Hash), ["total"] = 500, ["blind_signatures"] = new JsonArray(Hex(coins[2].BlindSignature)), ["issued_at"] = T0 + (4 * Day), ["signer"] = "scheme" });
        add("SwapRequest#2", "SwapRequest", new JsonObject
        {
            ["idempotency_key"] = "swap-2",
            ["inputs"] = new JsonArray(new JsonObject { ["coin"] = "@Coin", ["coin_key"] = "coin-1" }),
            ["outputs"] = new JsonArray(Item(keyset, coins[4])),
        });
        add("SwapSpend#2", "SwapSpend", new JsonObject { ["swap_request"] = "@SwapRequest#2", ["index"] = 0 });
        add("SwapDoubleSpendProof", "SwapDoubleSpendProof", new JsonObject { ["first"] = "@CoinSpend", ["later"] = "@SwapSpend" });
        add("SwapDoubleSpendProof#2", "SwapDoubleSpendProof", new JsonObject { ["first"] = "@SwapSpend", ["later"] = "@SwapSpend#2" });
        add("RecoveryRequest", "RecoveryRequest", new JsonObject
        {
            ["account_id"] = "worker-1",
            ["idempotency_key"] = "recover-1",
            ["inputs"] = new JsonArray(new JsonObject { ["coin"] = "@Coin#2", ["salt"] = Hex(coins[1].Salt), ["blinding_factor"] = Hex(coins[1].BlindingFactor) }),
            ["outputs"] = new JsonArray(Item(keyset, coins[3])),
            ["created_at"] = T0 + (5 * Day),
            ["signer"] = "worker-account",
        });

        // A union's dues mandate (docs/PROTOCOL.md 5.19): 30-day periods paid in the first 20 days, from 2026-01-01, one
        // open-ended and one with an end; and the paid-up statement for the first after three periods.
        add("DuesMandate", "DuesMandate", new JsonObject
        {
            ["mandate_id"] = Hex(SHA256.HashData("PB1 vector mandate 1"u8)),
            ["provider_id"] = "provider-1",
            ["member_reference"] = Hex("member-0042"u8.ToArray()),
            ["amount"] = 1500,
            ["fund"] = "general",
            ["period_seconds"] = 30 * Day,
            ["pay_window_seconds"] = 20 * Day,
            ["starts_at"] = T0,
            ["signer"] = "provider-receipt",
        });
        add("DuesMandate#2", "DuesMandate", new JsonObject
        {
            ["mandate_id"] = Hex(SHA256.HashData("PB1 vector mandate 2"u8)),
            ["provider_id"] = "provider-1",
            ["member_reference"] = "00",
            ["amount"] = 700,
            ["fund"] = "general",
            ["period_seconds"] = 7 * Day,
            ["pay_window_seconds"] = 7 * Day,
            ["starts_at"] = T0 + Day,
            ["ends_at"] = T0 + (365 * Day),
            ["signer"] = "provider-receipt",
        });
        add("PaidUpStatement", "PaidUpStatement", new JsonObject { ["mandate"] = "@DuesMandate", ["periods_paid"] = 3, ["as_of"] = T0 + (95 * Day), ["signer"] = "provider-receipt" });
    }

    private static void LogEntries(Func<string, string, JsonObject, Pb1Built> add, Pb1VectorBuilder builder)
    {
        string keyset = Hex(((KeysetDescriptor)builder.Get("KeysetDescriptor").Value).Id.Bytes);
        JsonObject Entry(LogEntryKind kind, JsonNode record) => new() { ["kind"] = (int)kind, ["record"] = record };
        add("LogEntry/KeysetAnnounced", "LogEntry", Entry(LogEntryKind.KeysetAnnounced, "@KeysetAnnouncement"));
        add("LogEntry/RegistryPublished", "LogEntry", Entry(LogEntryKind.RegistryPublished, "@AccreditationRegistry"));
        add("LogEntry/CoinsIssued", "LogEntry", Entry(LogEntryKind.CoinsIssued, new JsonObject { ["issued_at"] = T0 + 3601, ["counts"] = new JsonArray(new JsonObject { ["keyset_id"] = keyset, ["count"] = 2 }) }));
        add("LogEntry/CoinsSpent", "LogEntry", Entry(LogEntryKind.CoinsSpent, new JsonObject { ["spent_at"] = T0 + (6 * Day), ["coins"] = new JsonArray("@Coin") }));
        add("LogEntry/CoinsSwapped", "LogEntry", Entry(LogEntryKind.CoinsSwapped, new JsonObject { ["swapped_at"] = T0 + (4 * Day), ["reason"] = 1, ["inputs"] = new JsonArray("@Coin"), ["outputs"] = new JsonArray(new JsonObject { ["keyset_id"] = keyset, ["count"] = 1 }) }));
        add("LogEntry/CoinsSwapped#recovery", "LogEntry", Entry(LogEntryKind.CoinsSwapped, new JsonObject { ["swapped_at"] = T0 + (5 * Day), ["reason"] = 2, ["inputs"] = new JsonArray("@Coin#2"), ["outputs"] = new JsonArray(new JsonObject { ["keyset_id"] = keyset, ["count"] = 1 }) }));
        add("LogEntry/KeysetExpired", "LogEntry", Entry(LogEntryKind.KeysetExpired, new JsonObject { ["keyset_id"] = keyset, ["expired_at"] = T0 + (91 * Day), ["value"] = 500 }));
        add("LogEntry/AllocationTablePublished", "LogEntry", Entry(LogEntryKind.AllocationTablePublished, "@DefaultAllocationTable"));
        add("LogEntry/DefaultAllocated", "LogEntry", Entry(LogEntryKind.DefaultAllocated, new JsonObject
        {
            ["source"] = 1,
            ["keyset_id"] = keyset,
            ["table_version"] = 2,
            ["allocated_at"] = T0 + (92 * Day),
            ["shares"] = new JsonArray(new JsonObject { ["provider_id"] = "provider-1", ["amount"] = 500 }),
            ["pooled"] = 0,
        }));
        add("LogEntry/DefaultAllocated#balances", "LogEntry", Entry(LogEntryKind.DefaultAllocated, new JsonObject
        {
            ["source"] = 2,
            ["round"] = "2026-Q1",
            ["table_version"] = 2,
            ["allocated_at"] = T0 + (93 * Day),
            ["shares"] = new JsonArray(new JsonObject { ["provider_id"] = "provider-1", ["amount"] = 1200 }, new JsonObject { ["provider_id"] = "provider-2", ["amount"] = 300 }),
            ["pooled"] = 75,
        }));

        add("LogEntry/WithdrawalReversed", "LogEntry", Entry(LogEntryKind.WithdrawalReversed, new JsonObject { ["reversed_at"] = T0 + (2 * Day), ["counts"] = new JsonArray(new JsonObject { ["keyset_id"] = keyset, ["count"] = 2 }) }));

        // A ledger checkpoint closing the five-entry log below (docs/PROTOCOL.md 5.15): two coins of 500 issued, one
        // deposited, one swapped for one, so 500 outstanding and 500 payable; 2000 contributed, 1000 still with the worker.
        add("LedgerCheckpointRecord", "LedgerCheckpointRecord", new JsonObject
        {
            ["sequence"] = 1,
            ["taken_at"] = T0 + (6 * Day) + 60,
            ["log_size"] = 5,
            ["journal_entries"] = 4,
            ["journal_head"] = Hex(SHA256.HashData("PB1 vector journal head"u8)),
            ["totals"] = new JsonArray(
                new JsonObject { ["account_kind"] = 1, ["balance"] = -2000 },
                new JsonObject { ["account_kind"] = 2, ["balance"] = 1000 },
                new JsonObject { ["account_kind"] = 3, ["balance"] = 500 },
                new JsonObject { ["account_kind"] = 4, ["balance"] = 500 }),
            ["keysets"] = new JsonArray(new JsonObject { ["keyset_id"] = keyset, ["outstanding"] = 500 }),
            ["funds"] = new JsonArray(new JsonObject { ["fund"] = "general", ["outstanding"] = 500 }),
            ["signer"] = "scheme",
        });
        add("LogEntry/LedgerCheckpoint", "LogEntry", Entry(LogEntryKind.LedgerCheckpoint, "@LedgerCheckpointRecord"));

        // Encoding version 2 (docs/PROTOCOL.md 5.15): the same books with 300 of levy in the workers' training fund,
        // and the workers' totals per fund.
        add("LedgerCheckpointRecord/WorkerFunds", "LedgerCheckpointRecord", new JsonObject
        {
            ["sequence"] = 1,
            ["taken_at"] = T0 + (6 * Day) + 60,
            ["log_size"] = 5,
            ["journal_entries"] = 5,
            ["journal_head"] = Hex(SHA256.HashData("PB1 vector journal head 2"u8)),
            ["totals"] = new JsonArray(
                new JsonObject { ["account_kind"] = 1, ["balance"] = -2300 },
                new JsonObject { ["account_kind"] = 2, ["balance"] = 1000 },
                new JsonObject { ["account_kind"] = 3, ["balance"] = 500 },
                new JsonObject { ["account_kind"] = 4, ["balance"] = 500 },
                new JsonObject { ["account_kind"] = 8, ["balance"] = 300 }),
            ["keysets"] = new JsonArray(new JsonObject { ["keyset_id"] = keyset, ["outstanding"] = 500 }),
            ["funds"] = new JsonArray(new JsonObject { ["fund"] = "general", ["outstanding"] = 500 }),
            ["worker_funds"] = new JsonArray(
                new JsonObject { ["fund"] = "general", ["balance"] = 1000 },
                new JsonObject { ["fund"] = "training", ["balance"] = 300 }),
            ["signer"] = "scheme",
        });

        // The log as the scheme would hold it after the deposit; the deposit receipt proves the spent-coins leaf (index 3).
        var log = new JsonArray("@LogEntry/KeysetAnnounced", "@LogEntry/RegistryPublished", "@LogEntry/CoinsIssued", "@LogEntry/CoinsSpent", "@LogEntry/CoinsSwapped");
        add("SignedTreeHead", "SignedTreeHead", new JsonObject { ["log"] = log.DeepClone(), ["timestamp_ms"] = ((T0 + (6 * Day)) * 1000) + 250, ["signer"] = "scheme" });
        add("CheckpointNote", "CheckpointNote", new JsonObject { ["log"] = log.DeepClone(), ["timestamp_ms"] = ((T0 + (6 * Day)) * 1000) + 250, ["origin"] = "benefits.example.org/pb1", ["signer"] = "scheme" });
        add("DepositReceipt", "DepositReceipt", new JsonObject
        {
            ["request"] = "@DepositRequest",
            ["payments"] = new JsonArray("@PaymentRequest"),
            ["total"] = 500,
            ["log"] = log.DeepClone(),
            ["leaf_index"] = 3,
            ["timestamp_ms"] = ((T0 + (6 * Day)) * 1000) + 250,
            ["issued_at"] = T0 + (6 * Day) + 1,
            ["signer"] = "scheme",
        });

        // A payout of 300 of provider-1's 500 payable (docs/PROTOCOL.md 5.18): the statement the provider keeps, and the
        // public record of the payout, logged at index 5 after the five entries above.
        add("PayoutStatement", "PayoutStatement", new JsonObject
        {
            ["provider_id"] = "provider-1",
            ["amount"] = 300,
            ["payable_after"] = 200,
            ["paid_out_total"] = 300,
            ["payout_id"] = 5,
            ["log_index"] = 5,
            ["paid_at"] = T0 + (7 * Day),
            ["signer"] = "scheme",
        });
        add("LogEntry/ProvidersPaidOut", "LogEntry", Entry(LogEntryKind.ProvidersPaidOut, new JsonObject
        {
            ["paid_at"] = T0 + (7 * Day),
            ["payouts"] = new JsonArray(new JsonObject { ["provider_id"] = "provider-1", ["amount"] = 300 }),
        }));
    }

    private static void JournalEntries(Func<string, string, JsonObject, Pb1Built> add, Pb1VectorBuilder builder)
    {
        string keyset = Hex(((KeysetDescriptor)builder.Get("KeysetDescriptor").Value).Id.Bytes);
        string keyset2 = Hex(SHA256.HashData("PB1 vector keyset 2"u8));
        string coin = Hex(((Coin)builder.Get("Coin").Value).Id.Bytes);
        // Postings are listed in their canonical order (account kind, key, delta), so an encoder can write them as given.
        static JsonObject Line(LedgerAccountKind kind, string key, long delta) => new() { ["account_kind"] = (int)kind, ["account_key"] = key, ["delta"] = delta };
        var previous = Hex(EntryHash.Genesis.Bytes);
        long sequence = 0;
        void Entry(EntryKind kind, string key, JsonArray postings, JsonArray? spent = null, JsonArray? closed = null)
        {
            sequence++;
            var built = add($"JournalEntry/{kind}", "JournalEntry", new JsonObject
            {
                ["sequence"] = sequence,
                ["kind"] = (int)kind,
                ["idempotency_key"] = key,
                ["timestamp_ms"] = ((T0 + (sequence * Day)) * 1000) + 123,
                ["previous_hash"] = previous,
                ["postings"] = postings,
                ["spent_coins"] = spent ?? [],
                ["closed_keysets"] = closed ?? [],
            });
            previous = Hex(built.Hash);
        }

        Entry(EntryKind.Contribution, "contribution-1", [Line(LedgerAccountKind.ContributionSource, "employer", -1500), Line(LedgerAccountKind.Worker, "worker-1", 1500)]);
        Entry(EntryKind.Withdrawal, "withdraw-2026-01-01", [Line(LedgerAccountKind.Worker, "worker-1", -1000), Line(LedgerAccountKind.Outstanding, keyset, 1000)]);
        Entry(EntryKind.Deposit, "deposit-1", [Line(LedgerAccountKind.Outstanding, keyset, -500), Line(LedgerAccountKind.ProviderPayable, "provider-1", 500)], [new JsonObject { ["coin_id"] = coin, ["keyset_id"] = keyset, ["value"] = 500 }]);
        Entry(EntryKind.Swap, "swap-1", [Line(LedgerAccountKind.Outstanding, keyset, -500), Line(LedgerAccountKind.Outstanding, keyset2, 500)], [new JsonObject { ["coin_id"] = Hex(SHA256.HashData("PB1 vector coin 6"u8)), ["keyset_id"] = keyset, ["value"] = 500 }]);
        Entry(EntryKind.Expiry, "expire-1", [Line(LedgerAccountKind.Outstanding, keyset2, -500), Line(LedgerAccountKind.Expired, "", 500)], closed: [keyset2]);
        Entry(EntryKind.DefaultAllocation, "a-1", [Line(LedgerAccountKind.ProviderPayable, "provider-1", 400), Line(LedgerAccountKind.DefaultPool, "", 100), Line(LedgerAccountKind.Expired, "", -500)]);
        Entry(EntryKind.WithdrawalReversal, "rv-1", [Line(LedgerAccountKind.Worker, "worker-2", 200), Line(LedgerAccountKind.Outstanding, keyset, -200)]);
        Entry(EntryKind.Refund, "rf-1", [Line(LedgerAccountKind.Outstanding, keyset, 300), Line(LedgerAccountKind.ProviderPayable, "provider-1", -300)]);
        Entry(EntryKind.Payout, "po-1", [Line(LedgerAccountKind.ProviderPayable, "provider-1", -100), Line(LedgerAccountKind.Payouts, "provider-1", 100)]);
    }

    // docs/PROTOCOL.md 5.17: provider-1 refunds 300 of PaymentRequest (paid with Coin); the claim asks for the swap's
    // output again (its blind signature is the answer's), signed by coin-1's key.
    private static void Refunds(Func<string, string, JsonObject, Pb1Built> add, Pb1VectorBuilder builder)
    {
        var swap = (Wallet.Protocol.Swaps.SwapRequest)builder.Get("SwapRequest").Value;
        var answer = (Wallet.Protocol.Swaps.SwapResponse)builder.Get("SwapResponse").Value;
        var payment = (Wallet.Protocol.Payments.PaymentRequest)builder.Get("PaymentRequest").Value;
        string refundId = Hex(SHA256.HashData("PB1 vector refund 1"u8));
        add("ProviderRefund", "ProviderRefund", new JsonObject
        {
            ["refund_id"] = refundId,
            ["provider_id"] = "provider-1",
            ["payment_id"] = Hex(payment.Id.Bytes),
            ["coins"] = new JsonArray(Hex(((Coin)builder.Get("Coin").Value).Id.Bytes)),
            ["amount"] = 300,
            ["issued_at"] = T0 + (7 * Day) + 3600,
            ["signer"] = "provider-receipt",
        });
        var claim = add("RefundClaimRequest", "RefundClaimRequest", new JsonObject
        {
            ["idempotency_key"] = "refund-claim-1",
            ["refund"] = "@ProviderRefund",
            ["outputs"] = new JsonArray([.. swap.Outputs.Select(o => (JsonNode)new JsonObject { ["keyset_id"] = Hex(o.Keyset.Bytes), ["blinded_message"] = Hex(o.BlindedMessage.ToArray()) })]),
            ["coin_keys"] = new JsonArray("coin-1"),
        });
        add("RefundClaimResponse", "RefundClaimResponse", new JsonObject
        {
            ["request_hash"] = Hex(claim.Hash),
            ["refund_id"] = refundId,
            ["total"] = 300,
            ["blind_signatures"] = new JsonArray([.. answer.BlindSignatures.Select(s => (JsonNode)Hex(s.ToArray()))]),
            ["issued_at"] = T0 + (7 * Day) + 7200,
            ["signer"] = "scheme",
        });
        string keyset = Hex(((KeysetDescriptor)builder.Get("KeysetDescriptor").Value).Id.Bytes);
        add("LogEntry/RefundIssued", "LogEntry", new JsonObject
        {
            ["kind"] = (int)LogEntryKind.RefundIssued,
            ["record"] = new JsonObject { ["refunded_at"] = T0 + (7 * Day) + 7200, ["provider_id"] = "provider-1", ["amount"] = 300, ["counts"] = new JsonArray(new JsonObject { ["keyset_id"] = keyset, ["count"] = 1 }) },
        });
    }

    // issued_at is the provider's clock; the request keeps only its UTC day (issued_on).
    private static JsonObject Request(long amount, string details, string nonce, long issuedAt) => new()
    {
        ["provider_id"] = "provider-1",
        ["amount"] = amount,
        ["details"] = details,
        ["nonce"] = Hex(SHA256.HashData(Encoding.ASCII.GetBytes(nonce))),
        ["issued_at"] = issuedAt,
        ["signer"] = "provider-receipt",
    };

    private static JsonObject Details(string purpose, string salt, long expiresAt) => new()
    {
        ["salt"] = Hex(SHA256.HashData(Encoding.ASCII.GetBytes(salt))),
        ["purpose"] = purpose,
        ["expires_at"] = expiresAt,
    };

    private static JsonObject CoinInputs(string keyset, BlindedCoin coin) => new() { ["keyset_id"] = keyset, ["coin_id"] = Hex(coin.CoinId), ["issuer_signature"] = Hex(coin.Signature) };

    private static JsonObject Item(string keyset, BlindedCoin coin) => new() { ["keyset_id"] = keyset, ["blinded_message"] = Hex(coin.BlindedMessage) };

    private static string Hex(ReadOnlySpan<byte> bytes) => Convert.ToHexStringLower(bytes);

    /// <summary>The RSA side of one coin: what the wallet blinded, what the scheme signed, what the wallet unblinded.</summary>
    private sealed record BlindedCoin(byte[] CoinId, byte[] BlindedMessage, byte[] BlindSignature, byte[] Signature, byte[] Salt, byte[] BlindingFactor);

    /// <summary>Blinds coins the way a wallet does (seed-derived salt and r, docs/derivation.md) and signs them with the fixed key.</summary>
    private sealed class Blinding(BlindRsaPrivateKey key, byte[] walletSeed, IReadOnlyDictionary<string, byte[]> seeds)
    {
        public BlindRsaPrivateKey Key => key;

        public byte[] WalletSeed => walletSeed;

        public BlindedCoin Blind(KeysetDescriptor descriptor, string coinKey, ulong counter)
        {
            using var signing = Crypto.Signing.Ed25519SigningKey.FromSeed(seeds[coinKey]);
            byte[] coinId = signing.PublicKey.AsSpan().ToArray();
            using var seed = Crypto.Seeds.WalletSeed.FromBytes(walletSeed);
            using CoinSecrets secrets = seed.DeriveCoin(descriptor.Id.Bytes, counter);
            var algorithm = BlindRsaAlgorithm.RsaBssaSha384PssDeterministic;
            var client = new BlindRsaClient(algorithm, key.PublicKey);
            using var state = client.PrepareAndBlind(Coin.BuildMessage(descriptor.Id, new CoinId(coinId)), secrets);
            var blindSignature = new BlindRsaSigner(key).BlindSign(state.BlindedMessage);
            byte[] signature = client.Finalize(state, blindSignature);
            return new BlindedCoin(coinId, state.BlindedMessage.ToArray(), blindSignature.ToArray(), signature, secrets.PssSalt.ToArray(), BlindingDisclosure.ExportBlindingFactor(state));
        }
    }

    // Ring-fenced funds (docs/PROTOCOL.md 5.22): the funds table sending the training levy to the training fund.
    private static void Funds(Func<string, string, JsonObject, Pb1Built> add)
    {
        add("FundsTable", "FundsTable", new JsonObject
        {
            ["table_version"] = 1,
            ["issued_at"] = T0 - Day,
            ["rules"] = new JsonArray(
                new JsonObject { ["source"] = (int)ContributionSource.Employer, ["fund"] = "general" },
                new JsonObject { ["source"] = (int)ContributionSource.Levy, ["fund"] = "training" }),
            ["signer"] = "accreditation-body",
        });
        add("LogEntry/FundsTablePublished", "LogEntry", new JsonObject { ["kind"] = (int)LogEntryKind.FundsTablePublished, ["record"] = "@FundsTable" });
    }
}
