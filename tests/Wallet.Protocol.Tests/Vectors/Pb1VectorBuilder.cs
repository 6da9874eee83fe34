using System.Security.Cryptography;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Mandates;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Payouts;
using Wallet.Protocol.Recovery;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Vectors;

/// <summary>
/// Rebuilds PB/1 objects from the inputs of pb1-vectors.json through the library's public constructors and Sign
/// methods (JournalEntry.Create is internal). Vectors are added in file order; an input written "@Name" is the object
/// an earlier vector built. Field meanings are in Vectors/README.md.
/// </summary>
internal sealed partial class Pb1VectorBuilder : IDisposable
{
    private readonly Dictionary<string, Ed25519SigningKey> _keys;
    private readonly Dictionary<string, Pb1Built> _built = [];

    /// <param name="ed25519Seeds">The file's keys.ed25519: name to 32-byte seed.</param>
    public Pb1VectorBuilder(IReadOnlyDictionary<string, byte[]> ed25519Seeds)
    {
        _keys = ed25519Seeds.ToDictionary(k => k.Key, k => Ed25519SigningKey.FromSeed(k.Value));
    }

    public Pb1Built Get(string name) => _built[name];

    public Pb1Built Add(string name, string type, JsonObject inputs)
    {
        var built = type switch
        {
            "KeysetDescriptor" => Descriptor(inputs),
            "KeysetAnnouncement" => Message(KeysetAnnouncement.Sign(Ref<KeysetDescriptor>(inputs, "descriptor"), Key(inputs, "signer")), a => a.Encode(), b => KeysetAnnouncement.Decode(b).Encode()),
            "AccreditationRegistry" => Message(Registry(inputs), r => r.Encode(), b => AccreditationRegistry.Decode(b).Encode()),
            "DefaultAllocationTable" => Message(Table(inputs), t => t.Encode(), b => DefaultAllocationTable.Decode(b).Encode()),
            "Coin" => Message(CoinOf(inputs), c => c.Encode(), b => Coin.Decode(b).Encode()),
            "PaymentDetails" => Hashed(PaymentDetails.Create(Hex(inputs, "salt"), Str(inputs, "purpose"), Time(inputs, "expires_at")), d => d.Encode(), d => d.Hash(), b => PaymentDetails.Decode(b).Encode()),
            "PaymentRequest" => Hashed(PaymentRequest.Sign(new AccountId(Str(inputs, "provider_id")), Money(inputs, "amount"), Hex(inputs, "nonce"), Time(inputs, "issued_at"), Ref<PaymentDetails>(inputs, "details"), Key(inputs, "signer")), r => r.Encode(), r => r.Hash(), b => PaymentRequest.Decode(b).Encode()),
            "CoinSpend" => Message(CoinSpend.Sign(Ref<Coin>(inputs, "coin"), Ref<PaymentRequest>(inputs, "request"), Key(inputs, "coin_key")), s => s.Encode(), b => CoinSpend.Decode(b).Encode()),
            "DoubleSpendProof" => Message(new DoubleSpendProof(Ref<CoinSpend>(inputs, "first"), Ref<CoinSpend>(inputs, "second")), p => p.Encode(), b => DoubleSpendProof.Decode(b).Encode()),
            "SpendReceipt" => Message(SpendReceipt.Sign(Ref<PaymentRequest>(inputs, "request"), Time(inputs, "paid_at"), Key(inputs, "signer")), r => r.Encode(), b => SpendReceipt.Decode(b).Encode()),
            "HolderProof" => Message(HolderProof.Sign((HolderProofPurpose)Int(inputs, "purpose"), new AccountId(Str(inputs, "provider_id")), Ref<PaymentRequest>(inputs, "payment").Id, Time(inputs, "signed_at"), Hex(inputs, "nonce"), [.. List(inputs, "coin_keys").Select(n => _keys[n!.GetValue<string>()])]), p => p.Encode(), b => HolderProof.Decode(b).Encode()),
            "WithdrawalRequest" => Hashed(WithdrawalRequest.Sign(new AccountId(Str(inputs, "account_id")), new IdempotencyKey(Str(inputs, "idempotency_key")), Items(inputs, "items"), Time(inputs, "created_at"), Key(inputs, "signer")), r => r.Encode(), r => r.Hash(), b => WithdrawalRequest.Decode(b).Encode()),
            "WithdrawalReceipt" => Message(WithdrawalReceipt.Sign(Ref<WithdrawalRequest>(inputs, "request"), Money(inputs, "total"), Time(inputs, "issued_at"), Key(inputs, "signer")), r => r.Encode(), b => WithdrawalReceipt.Decode(b).Encode()),
            "WithdrawalReversalReceipt" => Message(WithdrawalReversalReceipt.Sign(Ref<WithdrawalRequest>(inputs, "request"), Money(inputs, "total"), Time(inputs, "reversed_at"), Key(inputs, "signer")), r => r.Encode(), b => WithdrawalReversalReceipt.Decode(b).Encode()),
            "WithdrawalResponse" => Message(new WithdrawalResponse(Ref<WithdrawalReceipt>(inputs, "receipt"), BlindSignatures(inputs)), r => r.Encode(), b => WithdrawalResponse.Decode(b).Encode()),
            "DepositRequest" => Hashed(new DepositRequest(new AccountId(Str(inputs, "provider_id")), new IdempotencyKey(Str(inputs, "idempotency_key")), [.. List(inputs, "spends").Select(n => Ref<CoinSpend>(n))]), r => r.Encode(), r => r.Hash(), b => DepositRequest.Decode(b).Encode()),
            "DepositReceipt" => Message(DepositReceiptOf(inputs), r => r.Encode(), b => DepositReceipt.Decode(b).Encode()),
            "SignedTreeHead" => Message(TreeHead(inputs, out _), h => h.Encode(), b => SignedTreeHead.Decode(b).Encode()),
            "CheckpointNote" => Message(CheckpointNote(inputs), n => n.Encode(), b => SignedNote.Parse(b).Encode()),
            "SwapRequest" => SwapRequestOf(inputs),
            "SwapSpend" => Message(Ref<SwapRequest>(inputs, "swap_request").Spend(Int(inputs, "index")), s => s.Encode(), b => SwapSpend.Decode(b).Encode()),
            "SwapResponse" => Message(SwapResponse.Sign(Hex(inputs, "request_hash"), Money(inputs, "total"), BlindSignatures(inputs), Time(inputs, "issued_at"), Key(inputs, "signer")), r => r.Encode(), b => SwapResponse.Decode(b).Encode()),
            "SwapDoubleSpendProof" => Message(SwapProof(inputs), p => p.Encode(), b => SwapDoubleSpendProof.Decode(b).Encode()),
            "ProviderRefund" => Message(ProviderRefundOf(inputs), r => r.Encode(), b => ProviderRefund.Decode(b).Encode()),
            "RefundClaimRequest" => RefundClaimOf(inputs),
            "RefundClaimResponse" => Message(RefundClaimResponse.Sign(Hex(inputs, "request_hash"), new RefundId(Hex(inputs, "refund_id")), Money(inputs, "total"), BlindSignatures(inputs), Time(inputs, "issued_at"), Key(inputs, "signer")), r => r.Encode(), b => RefundClaimResponse.Decode(b).Encode()),
            "RecoveryRequest" => Hashed(RecoveryRequestOf(inputs), r => r.Encode(), r => r.Hash(), b => RecoveryRequest.Decode(b).Encode()),
            "DuesMandate" => Message(MandateOf(inputs), m => m.Encode(), b => DuesMandate.Decode(b).Encode()),
            "PaidUpStatement" => Message(PaidUpStatement.Sign(Ref<DuesMandate>(inputs, "mandate"), checked((uint)Long(inputs, "periods_paid")), Time(inputs, "as_of"), Key(inputs, "signer")), p => p.Encode(), b => PaidUpStatement.Decode(b).Encode()),
            "LedgerCheckpointRecord" => Message(LedgerCheckpointOf(inputs), r => r.Encode(), b => LedgerCheckpointRecord.Decode(b).Encode()),
            "PayoutStatement" => Message(PayoutStatement.Sign(new AccountId(Str(inputs, "provider_id")), Money(inputs, "amount"), Money(inputs, "payable_after"), Money(inputs, "paid_out_total"), (ulong)Long(inputs, "payout_id"), (ulong)Long(inputs, "log_index"), Time(inputs, "paid_at"), Key(inputs, "signer")), s => s.Encode(), b => PayoutStatement.Decode(b).Encode()),
            "ContributionReceipt" => Message(ContributionReceiptOf(inputs), r => r.Encode(), b => Protocol.Statements.ContributionReceipt.Decode(b).Encode()),
            "StatementRequest" => Hashed(StatementRequestOf(inputs), r => r.Encode(), r => r.Hash(), b => Protocol.Statements.StatementRequest.Decode(b).Encode()),
            "WorkerStatement" => Message(WorkerStatementOf(inputs), s => s.Encode(), b => Protocol.Statements.WorkerStatement.Decode(b).Encode()),
            "FundsTable" => Message(FundsTable.Sign((uint)Long(inputs, "table_version"), Time(inputs, "issued_at"), List(inputs, "rules").Select(n => n!.AsObject()).Select(r => new FundRule((ContributionSource)Int(r, "source"), Str(r, "fund"))), Key(inputs, "signer")), t => t.Encode(), b => FundsTable.Decode(b).Encode()),
            "LogEntry" => LogEntryOf(inputs),
            "JournalEntry" => JournalEntryOf(inputs),
            _ => throw new InvalidOperationException($"Unknown vector type '{type}'."),
        };
        _built.Add(name, built);
        return built;
    }

    public void Dispose()
    {
        foreach (var key in _keys.Values)
        {
            key.Dispose();
        }
    }

    private static Pb1Built Message<T>(T value, Func<T, byte[]> encode, Func<byte[], byte[]> reencode)
        where T : notnull
    {
        byte[] encoded = encode(value);
        return new Pb1Built(value, encoded, "sha256", SHA256.HashData(encoded), reencode(encoded), new Dictionary<string, byte[]>());
    }

    private static Pb1Built Hashed<T>(T value, Func<T, byte[]> encode, Func<T, byte[]> hash, Func<byte[], byte[]> reencode)
        where T : notnull
    {
        byte[] encoded = encode(value);
        return new Pb1Built(value, encoded, "sha256", hash(value), reencode(encoded), new Dictionary<string, byte[]>());
    }

    private static Pb1Built Descriptor(JsonObject inputs)
    {
        var descriptor = new KeysetDescriptor(
            (uint)Long(inputs, "epoch"),
            Money(inputs, "denomination"),
            Str(inputs, "fund"),
            Time(inputs, "withdraw_from"),
            Time(inputs, "withdraw_until"),
            Time(inputs, "spend_until"),
            Time(inputs, "deposit_until"),
            (BlindRsaScheme)Int(inputs, "mode"),
            Hex(inputs, "public_key"));
        return Hashed(descriptor, d => d.Encode(), d => d.Id.Bytes.ToArray(), b => KeysetDescriptor.Decode(b).Encode());
    }

    private AccreditationRegistry Registry(JsonObject inputs)
    {
        var providers = List(inputs, "providers").Select(n => n!.AsObject()).Select(p => new ProviderRecord(
            new AccountId(Str(p, "provider_id")),
            Str(p, "name"),
            [.. List(p, "categories").Select(c => c!.GetValue<string>())],
            Key(p, "receipt_key").PublicKey,
            Time(p, "valid_from"),
            Time(p, "valid_until")));
        return AccreditationRegistry.Sign((uint)Long(inputs, "registry_version"), Time(inputs, "issued_at"), providers, Key(inputs, "signer"));
    }

    private DefaultAllocationTable Table(JsonObject inputs)
    {
        var rules = List(inputs, "rules").Select(n => n!.AsObject()).Select(r => new DefaultAllocationRule(Str(r, "sector"), Str(r, "region"), new AccountId(Str(r, "provider_id"))));
        return inputs.ContainsKey("several_jobs_rule")
            ? DefaultAllocationTable.Sign((uint)Long(inputs, "table_version"), Time(inputs, "issued_at"), rules, (SeveralJobsRule)Long(inputs, "several_jobs_rule"), Key(inputs, "signer"))
            : DefaultAllocationTable.Sign((uint)Long(inputs, "table_version"), Time(inputs, "issued_at"), rules, Key(inputs, "signer"));
    }

    private static Coin CoinOf(JsonObject inputs) => new(new KeysetId(Hex(inputs, "keyset_id")), new CoinId(Hex(inputs, "coin_id")), Hex(inputs, "issuer_signature"));

    private static List<WithdrawalItem> Items(JsonObject inputs, string field) =>
        [.. List(inputs, field).Select(n => n!.AsObject()).Select(i => new WithdrawalItem(new KeysetId(Hex(i, "keyset_id")), BlindedMessage.FromBytes(Hex(i, "blinded_message"))))];

    private static List<BlindSignature> BlindSignatures(JsonObject inputs) =>
        [.. List(inputs, "blind_signatures").Select(n => BlindSignature.FromBytes(Convert.FromHexString(n!.GetValue<string>())))];

    private SignedTreeHead TreeHead(JsonObject inputs, out MerkleLog log)
    {
        log = new MerkleLog(new InMemoryMerkleLogStore());
        foreach (var name in List(inputs, "log"))
        {
            log.AppendAsync(Ref<LogEntry>(name).Encode()).AsTask().GetAwaiter().GetResult();
        }

        var clock = new FakeTimeProvider(DateTimeOffset.FromUnixTimeMilliseconds(Long(inputs, "timestamp_ms")));
        return log.SignTreeHeadAsync(Key(inputs, "signer"), clock).AsTask().GetAwaiter().GetResult();
    }

    // The C2SP checkpoint of the same log (docs/PROTOCOL.md 5.12, 5.14): signed with the scheme key under the origin.
    private SignedNote CheckpointNote(JsonObject inputs)
    {
        var head = TreeHead(inputs, out _);
        return Checkpoint.Create(Str(inputs, "origin"), head.TreeSize, head.RootHash).Sign(new Ed25519NoteSigner(Str(inputs, "origin"), Key(inputs, "signer")));
    }

    private DepositReceipt DepositReceiptOf(JsonObject inputs)
    {
        var head = TreeHead(inputs, out var log);
        ulong index = (ulong)Long(inputs, "leaf_index");
        var leaf = Ref<LogEntry>(List(inputs, "log")[(int)index]).LeafHash();
        var proof = log.GetInclusionProofAsync(index, head.TreeSize).AsTask().GetAwaiter().GetResult();
        return DepositReceipt.Sign(Ref<DepositRequest>(inputs, "request"), [.. List(inputs, "payments").Select(n => Ref<PaymentRequest>(n).Id)], Money(inputs, "total"), leaf, head, proof, Time(inputs, "issued_at"), Key(inputs, "signer"));
    }

    private Pb1Built SwapRequestOf(JsonObject inputs)
    {
        var spends = List(inputs, "inputs").Select(n => n!.AsObject()).ToList();
        var request = SwapRequest.Sign(
            new IdempotencyKey(Str(inputs, "idempotency_key")),
            [.. spends.Select(s => Ref<Coin>(s, "coin"))],
            Items(inputs, "outputs"),
            [.. spends.Select(s => Key(s, "coin_key"))]);
        var built = Hashed(request, r => r.Encode(), r => r.Hash(), b => SwapRequest.Decode(b).Encode());
        return built with { Extra = new Dictionary<string, byte[]> { ["body_hash"] = request.BodyHash() } };
    }

    private ProviderRefund ProviderRefundOf(JsonObject inputs) => ProviderRefund.Sign(
        new RefundId(Hex(inputs, "refund_id")),
        new AccountId(Str(inputs, "provider_id")),
        new PaymentId(Hex(inputs, "payment_id")),
        [.. List(inputs, "coins").Select(n => new CoinId(Convert.FromHexString(n!.GetValue<string>())))],
        Money(inputs, "amount"),
        Time(inputs, "issued_at"),
        Key(inputs, "signer"));

    private Pb1Built RefundClaimOf(JsonObject inputs)
    {
        var claim = RefundClaimRequest.Sign(
            new IdempotencyKey(Str(inputs, "idempotency_key")),
            Ref<ProviderRefund>(inputs, "refund"),
            Items(inputs, "outputs"),
            [.. List(inputs, "coin_keys").Select(n => _keys[n!.GetValue<string>()])]);
        var built = Hashed(claim, r => r.Encode(), r => r.Hash(), b => RefundClaimRequest.Decode(b).Encode());
        return built with { Extra = new Dictionary<string, byte[]> { ["body_hash"] = claim.BodyHash() } };
    }

    private SwapDoubleSpendProof SwapProof(JsonObject inputs)
    {
        var later = Ref<SwapSpend>(inputs, "later");
        var first = Ref<object>(inputs, "first");
        return first is CoinSpend payment ? new SwapDoubleSpendProof(payment, later) : new SwapDoubleSpendProof((SwapSpend)first, later);
    }

    private RecoveryRequest RecoveryRequestOf(JsonObject inputs)
    {
        var items = List(inputs, "inputs").Select(n => n!.AsObject()).Select(i => new RecoveryItem(Ref<Coin>(i, "coin"), Hex(i, "salt"), Hex(i, "blinding_factor"))).ToList();
        return RecoveryRequest.Sign(new AccountId(Str(inputs, "account_id")), new IdempotencyKey(Str(inputs, "idempotency_key")), items, Items(inputs, "outputs"), Time(inputs, "created_at"), Key(inputs, "signer"));
    }

    private Pb1Built LogEntryOf(JsonObject inputs)
    {
        JsonObject record = inputs["record"] as JsonObject ?? [];
        var entry = (LogEntryKind)Int(inputs, "kind") switch
        {
            LogEntryKind.KeysetAnnounced => LogEntry.ForKeyset(Ref<KeysetAnnouncement>(inputs, "record")),
            LogEntryKind.RegistryPublished => LogEntry.ForRegistry(Ref<AccreditationRegistry>(inputs, "record")),
            LogEntryKind.AllocationTablePublished => LogEntry.ForAllocationTable(Ref<DefaultAllocationTable>(inputs, "record")),
            LogEntryKind.FundsTablePublished => LogEntry.ForFundsTable(Ref<FundsTable>(inputs, "record")),
            LogEntryKind.CoinsSpent => LogEntry.ForSpentCoins(new SpentCoinsRecord(Time(record, "spent_at"), [.. List(record, "coins").Select(n => Ref<Coin>(n))])),
            LogEntryKind.CoinsIssued => LogEntry.ForIssuance(new IssuanceRecord(Time(record, "issued_at"), Counts(record, "counts"))),
            LogEntryKind.KeysetExpired => LogEntry.ForExpiry(new ExpiryRecord(new KeysetId(Hex(record, "keyset_id")), Time(record, "expired_at"), Money(record, "value"))),
            LogEntryKind.CoinsSwapped => LogEntry.ForSwap(new SwapRecord(Time(record, "swapped_at"), Int(record, "reason") == 2, [.. List(record, "inputs").Select(n => Ref<Coin>(n))], Counts(record, "outputs"))),
            LogEntryKind.DefaultAllocated => LogEntry.ForAllocation(Allocation(record)),
            LogEntryKind.WithdrawalReversed => LogEntry.ForReversal(new ReversalRecord(Time(record, "reversed_at"), Counts(record, "counts"))),
            LogEntryKind.LedgerCheckpoint => LogEntry.ForLedgerCheckpoint(Ref<LedgerCheckpointRecord>(inputs, "record")),
            LogEntryKind.RefundIssued => LogEntry.ForRefund(new RefundRecord(Time(record, "refunded_at"), new AccountId(Str(record, "provider_id")), Money(record, "amount"), Counts(record, "counts"))),
            LogEntryKind.ProvidersPaidOut => LogEntry.ForPayouts(ProvidersPaidOutRecord.Create(Time(record, "paid_at"), List(record, "payouts").Select(n => n!.AsObject()).Select(p => new ProviderShare(new AccountId(Str(p, "provider_id")), Money(p, "amount"))))),
            var kind => throw new InvalidOperationException($"Unknown log entry kind {kind}."),
        };
        byte[] encoded = entry.Encode();
        return new Pb1Built(entry, encoded, "rfc9162-leaf", entry.LeafHash().ToArray(), LogEntry.Decode(encoded).Encode(), new Dictionary<string, byte[]>());
    }

    private LedgerCheckpointRecord LedgerCheckpointOf(JsonObject inputs)
    {
        List<(LedgerTotalKind, long)> totals = [.. List(inputs, "totals").Select(n => n!.AsObject()).Select(t => ((LedgerTotalKind)Int(t, "account_kind"), Long(t, "balance")))];
        List<(KeysetId, Amount)> keysets = [.. List(inputs, "keysets").Select(n => n!.AsObject()).Select(k => (new KeysetId(Hex(k, "keyset_id")), Money(k, "outstanding")))];
        List<(string, Amount)> funds = [.. List(inputs, "funds").Select(n => n!.AsObject()).Select(f => (Str(f, "fund"), Money(f, "outstanding")))];

        // Version 1 (no worker funds) when the inputs have none, so the first vector keeps its bytes.
        return inputs.ContainsKey("worker_funds")
            ? LedgerCheckpointRecord.Sign((ulong)Long(inputs, "sequence"), Time(inputs, "taken_at"), (ulong)Long(inputs, "log_size"), (ulong)Long(inputs, "journal_entries"), Hex(inputs, "journal_head"), totals, keysets, funds,
                [.. List(inputs, "worker_funds").Select(n => n!.AsObject()).Select(f => (Str(f, "fund"), Long(f, "balance")))], Key(inputs, "signer"))
            : LedgerCheckpointRecord.Sign((ulong)Long(inputs, "sequence"), Time(inputs, "taken_at"), (ulong)Long(inputs, "log_size"), (ulong)Long(inputs, "journal_entries"), Hex(inputs, "journal_head"), totals, keysets, funds, Key(inputs, "signer"));
    }

    private static DefaultAllocationRecord Allocation(JsonObject record)
    {
        var shares = List(record, "shares").Select(n => n!.AsObject()).Select(s => new ProviderShare(new AccountId(Str(s, "provider_id")), Money(s, "amount")));
        return Int(record, "source") == 1
            ? DefaultAllocationRecord.ForExpiredKeyset(new KeysetId(Hex(record, "keyset_id")), (uint)Long(record, "table_version"), Time(record, "allocated_at"), shares, Money(record, "pooled"))
            : DefaultAllocationRecord.ForUnwithdrawnBalances(Str(record, "round"), (uint)Long(record, "table_version"), Time(record, "allocated_at"), shares, Money(record, "pooled"));
    }

    private static List<(KeysetId Keyset, int Count)> Counts(JsonObject record, string field) =>
        [.. List(record, field).Select(n => n!.AsObject()).Select(c => (new KeysetId(Hex(c, "keyset_id")), Int(c, "count")))];

    private static Pb1Built JournalEntryOf(JsonObject inputs)
    {
        var postings = List(inputs, "postings").Select(n => n!.AsObject()).Select(p =>
            LedgerAccount.TryCreate((LedgerAccountKind)Int(p, "account_kind"), Str(p, "account_key"), out var account)
                ? new Posting(account, Long(p, "delta"))
                : throw new InvalidOperationException($"Not a ledger account: {p.ToJsonString()}"));
        var coins = List(inputs, "spent_coins").Select(n => n!.AsObject()).Select(c => new SpentCoin(new CoinId(Hex(c, "coin_id")), new KeysetId(Hex(c, "keyset_id")), Money(c, "value")));
        var closed = List(inputs, "closed_keysets").Select(n => new KeysetId(Convert.FromHexString(n!.GetValue<string>())));
        var entry = JournalEntry.Create(
            Long(inputs, "sequence"),
            (EntryKind)Int(inputs, "kind"),
            new IdempotencyKey(Str(inputs, "idempotency_key")),
            DateTimeOffset.FromUnixTimeMilliseconds(Long(inputs, "timestamp_ms")),
            new EntryHash(Hex(inputs, "previous_hash")),
            postings,
            coins,
            closed);
        byte[] encoded = entry.Encode();
        byte[] reencoded = JournalEntry.TryDecode(encoded, out var decoded) ? decoded.Encode() : [];
        return new Pb1Built(entry, encoded, "pb1-ledger-entry", entry.Hash.Bytes.ToArray(), reencoded, new Dictionary<string, byte[]>());
    }

    private Ed25519SigningKey Key(JsonObject inputs, string field) => _keys[Str(inputs, field)];

    private T Ref<T>(JsonObject inputs, string field) => Ref<T>(inputs[field]);

    private T Ref<T>(JsonNode? node)
    {
        string reference = node!.GetValue<string>();
        if (!reference.StartsWith('@'))
        {
            throw new InvalidOperationException($"'{reference}' is not a reference to another vector.");
        }

        return (T)_built[reference[1..]].Value;
    }

    private DuesMandate MandateOf(JsonObject inputs) => DuesMandate.Sign(
        new MandateId(Hex(inputs, "mandate_id")),
        new AccountId(Str(inputs, "provider_id")),
        Hex(inputs, "member_reference"),
        Money(inputs, "amount"),
        Str(inputs, "fund"),
        TimeSpan.FromSeconds(Long(inputs, "period_seconds")),
        TimeSpan.FromSeconds(Long(inputs, "pay_window_seconds")),
        Time(inputs, "starts_at"),
        inputs["ends_at"] is null ? null : Time(inputs, "ends_at"),
        Key(inputs, "signer"));

    private static JsonArray List(JsonObject inputs, string field) => inputs[field]!.AsArray();

    private static string Str(JsonObject inputs, string field) => inputs[field]!.GetValue<string>();

    private static long Long(JsonObject inputs, string field) => inputs[field]!.GetValue<long>();

    private static int Int(JsonObject inputs, string field) => checked((int)Long(inputs, field));

    private static byte[] Hex(JsonObject inputs, string field) => Convert.FromHexString(Str(inputs, field));

    private static Amount Money(JsonObject inputs, string field) => Amount.FromMinorUnits(Long(inputs, field));

    private static DateTimeOffset Time(JsonObject inputs, string field) => DateTimeOffset.FromUnixTimeSeconds(Long(inputs, field));
}
