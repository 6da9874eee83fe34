using System.Numerics;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
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
using Wallet.Protocol.Registry;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Vectors;

/// <summary>
/// pb1-vectors.json reproduced byte for byte: every object rebuilt from its inputs encodes to the committed bytes,
/// decodes back to them, and hashes to the committed hash. Any change to any PB/1 encoding fails here.
/// Regenerate only for a deliberate format change: WALLETCORE_WRITE_PB1_VECTORS=1 (see Vectors/README.md).
/// </summary>
public sealed class Pb1VectorTests
{
    private static readonly Lazy<JsonObject> s_file = new(Pb1VectorFile.Load);

    /// <summary>Every PB/1 message type with a canonical encoding; each must have a vector.</summary>
    private static readonly string[] MessageTypes =
    [
        "KeysetDescriptor", "KeysetAnnouncement", "AccreditationRegistry", "DefaultAllocationTable", "Coin", "PaymentDetails", "PaymentRequest",
        "CoinSpend", "DoubleSpendProof", "SpendReceipt", "WithdrawalRequest", "WithdrawalReceipt", "WithdrawalReversalReceipt", "WithdrawalResponse",
        "DepositRequest", "DepositReceipt", "SignedTreeHead", "SwapRequest", "SwapSpend", "SwapResponse", "SwapDoubleSpendProof",
        "RecoveryRequest", "CheckpointNote", "ProviderRefund", "RefundClaimRequest", "RefundClaimResponse",
        "HolderProof", "PayoutStatement", "DuesMandate", "PaidUpStatement", "FundsTable",
        "ContributionReceipt", "StatementRequest", "WorkerStatement",
    ];

    private static JsonObject File => s_file.Value;

    public static TheoryData<string> VectorNames() => new(Pb1VectorFile.Vectors(Pb1VectorFile.Load()).Select(v => v["name"]!.GetValue<string>()));

    [Theory]
    [MemberData(nameof(VectorNames))]
    public void VectorReproducesItsBytesAndHash(string name)
    {
        // Earlier vectors are rebuilt too: "@Name" inputs refer to them.
        using var builder = new Pb1VectorBuilder(Pb1VectorFile.Ed25519Seeds(File));
        foreach (var vector in Pb1VectorFile.Vectors(File))
        {
            string current = vector["name"]!.GetValue<string>();
            var built = builder.Add(current, vector["type"]!.GetValue<string>(), vector["inputs"]!.AsObject());
            if (current != name)
            {
                continue;
            }

            string expected = vector["encoded"]!.GetValue<string>();
            Assert.Equal(expected, Convert.ToHexStringLower(built.Encoded));
            Assert.Equal(expected, Convert.ToHexStringLower(built.Reencoded));
            Assert.Equal(vector["hash_kind"]!.GetValue<string>(), built.HashKind);
            Assert.Equal(vector["hash"]!.GetValue<string>(), Convert.ToHexStringLower(built.Hash));
            Assert.Equal(vector["hash"]!.GetValue<string>(), Convert.ToHexStringLower(HashAsDocumented(built.HashKind, Convert.FromHexString(expected))));
            foreach (var (field, value) in built.Extra)
            {
                Assert.Equal(vector[field]!.GetValue<string>(), Convert.ToHexStringLower(value));
            }

            return;
        }

        Assert.Fail($"No vector named {name}.");
    }

    [Fact]
    public void FileHasAVectorForEveryMessageTypeLogEntryKindAndJournalEntryKind()
    {
        var vectors = Pb1VectorFile.Vectors(File).ToList();
        var types = vectors.Select(v => v["type"]!.GetValue<string>()).ToHashSet();
        var logKinds = vectors.Where(v => v["type"]!.GetValue<string>() == "LogEntry").Select(v => (LogEntryKind)v["inputs"]!["kind"]!.GetValue<int>()).ToHashSet();
        var journalKinds = vectors.Where(v => v["type"]!.GetValue<string>() == "JournalEntry").Select(v => (EntryKind)v["inputs"]!["kind"]!.GetValue<int>()).ToHashSet();

        Assert.Subset(types, MessageTypes.ToHashSet());
        Assert.Equal(Enum.GetValues<LogEntryKind>().ToHashSet(), logKinds);
        Assert.Equal(Enum.GetValues<EntryKind>().ToHashSet(), journalKinds);
        Assert.Equal(vectors.Count, vectors.Select(v => v["name"]!.GetValue<string>()).Distinct().Count());
    }

    [Fact]
    public void FixedKeysAreDerivedAsDocumented()
    {
        foreach (var (name, key) in File["keys"]!["ed25519"]!.AsObject())
        {
            byte[] seed = SHA256.HashData(Encoding.ASCII.GetBytes(Pb1VectorCatalog.KeyLabel + name));
            Assert.Equal(Convert.ToHexStringLower(seed), key!["seed"]!.GetValue<string>());
            using var signing = Ed25519SigningKey.FromSeed(seed);
            Assert.Equal(signing.PublicKey.ToString(), key["public_key"]!.GetValue<string>());
        }

        var rsa = File["keys"]!["rsa"]![Pb1VectorCatalog.RsaKeyName]!;
        BigInteger Integer(string field) => new(Convert.FromHexString(rsa[field]!.GetValue<string>()), isUnsigned: true, isBigEndian: true);
        Assert.Equal(Integer("n"), Integer("p") * Integer("q"));
        Assert.Equal(Convert.ToHexStringLower(ProtocolKeys.Rsa2048.PublicKey.ExportSubjectPublicKeyInfo()), rsa["subject_public_key_info"]!.GetValue<string>());
        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(Encoding.ASCII.GetBytes(Pb1VectorCatalog.WalletSeedLabel))), File["keys"]!["wallet_seed"]!.GetValue<string>());
    }

    [Fact]
    public void RsaValuesInTheFileAreTheFixedKeysOwn()
    {
        using var builder = Replay();
        var descriptor = (KeysetDescriptor)builder.Get("KeysetDescriptor").Value;
        var signer = new BlindRsaSigner(ProtocolKeys.Rsa2048);
        var withdrawal = (WithdrawalRequest)builder.Get("WithdrawalRequest").Value;
        var response = (WithdrawalResponse)builder.Get("WithdrawalResponse").Value;
        var swapRequest = (SwapRequest)builder.Get("SwapRequest").Value;
        var swapResponse = (SwapResponse)builder.Get("SwapResponse").Value;
        var recovery = (RecoveryRequest)builder.Get("RecoveryRequest").Value;

        Assert.Equal(descriptor.PublicKey.ToArray(), ProtocolKeys.Rsa2048.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.True(((Coin)builder.Get("Coin").Value).VerifyIssuer(descriptor));
        Assert.True(((Coin)builder.Get("Coin#2").Value).VerifyIssuer(descriptor));
        for (int i = 0; i < withdrawal.Items.Length; i++)
        {
            Assert.Equal(signer.BlindSign(withdrawal.Items[i].BlindedMessage), response.BlindSignatures[i]);
        }

        Assert.Equal(signer.BlindSign(swapRequest.Outputs[0].BlindedMessage), swapResponse.BlindSignatures[0]);
        Assert.Equal(swapRequest.Hash(), swapResponse.RequestHash.ToArray());

        // The recovery disclosure re-blinds to the blinded message the coin was withdrawn with (PROTOCOL.md 5.11).
        var item = recovery.Inputs[0];
        using var publicKey = descriptor.ImportPublicKey();
        var reblinded = BlindingDisclosure.Reblind(descriptor.Algorithm, publicKey, Coin.BuildMessage(item.Coin.Keyset, item.Coin.Id), default, item.Salt, item.BlindingFactor);
        Assert.Equal(withdrawal.Items[1].BlindedMessage, reblinded);
    }

    [Fact]
    public void SignaturesAndProofsInTheFileVerify()
    {
        using var builder = Replay();
        var keys = Pb1VectorFile.Ed25519Seeds(File).ToDictionary(k => k.Key, k => Ed25519SigningKey.FromSeed(k.Value));
        try
        {
            var scheme = keys["scheme"].PublicKey;
            var body = keys["accreditation-body"].PublicKey;
            var provider = keys["provider-receipt"].PublicKey;
            var worker = keys["worker-account"].PublicKey;
            T Get<T>(string name) => (T)builder.Get(name).Value;
            Assert.True(Get<SignedTreeHead>("SignedTreeHead").Verify(scheme));

            // The C2SP checkpoint of the same log opens under the scheme key named by its origin and matches the head.
            var verifiers = new NoteVerifierSet([new Ed25519NoteVerifier("benefits.example.org/pb1", scheme)]);
            Assert.True(Checkpoint.TryOpen(Get<SignedNote>("CheckpointNote"), verifiers, out var checkpoint));
            Assert.Equal((Get<SignedTreeHead>("SignedTreeHead").TreeSize, Get<SignedTreeHead>("SignedTreeHead").RootHash), (checkpoint.TreeSize, checkpoint.RootHash));
            Assert.True(Get<KeysetAnnouncement>("KeysetAnnouncement").Verify(scheme));
            Assert.True(Get<AccreditationRegistry>("AccreditationRegistry").Verify(body));
            Assert.True(Get<DefaultAllocationTable>("DefaultAllocationTable").Verify(body));
            Assert.True(Get<FundsTable>("FundsTable").Verify(body));
            Assert.True(Get<PaymentRequest>("PaymentRequest").Verify(provider));
            Assert.True(Get<SpendReceipt>("SpendReceipt").Verify(Get<PaymentRequest>("PaymentRequest"), provider));
            var holder = Get<HolderProof>("HolderProof");
            Assert.Equal(HolderProofStatus.Valid, holder.Check(new AccountId("provider-1"), HolderProofPurpose.SpendReceipt, Get<PaymentRequest>("PaymentRequest").Id, [.. new[] { "coin-1", "coin-2" }.Select(k => new CoinId(keys[k].PublicKey.AsSpan()))], holder.SignedAt));
            Assert.True(Get<CoinSpend>("CoinSpend").VerifySpendSignature());
            Assert.True(Get<WithdrawalRequest>("WithdrawalRequest").Verify(worker));
            Assert.True(Get<WithdrawalReceipt>("WithdrawalReceipt").Verify(Get<WithdrawalRequest>("WithdrawalRequest"), scheme));
            Assert.True(Get<WithdrawalReversalReceipt>("WithdrawalReversalReceipt").Verify(Get<WithdrawalRequest>("WithdrawalRequest"), scheme));
            Assert.True(Get<SwapRequest>("SwapRequest").VerifySpend(0));
            Assert.True(Get<SwapSpend>("SwapSpend").Verify());
            Assert.True(Get<SwapResponse>("SwapResponse").Verify(Get<SwapRequest>("SwapRequest").Hash(), scheme));
            Assert.True(Get<RecoveryRequest>("RecoveryRequest").Verify(worker));
            Assert.True(Get<Wallet.Protocol.Refunds.ProviderRefund>("ProviderRefund").Verify(provider));
            Assert.Null(Get<Wallet.Protocol.Refunds.RefundClaimRequest>("RefundClaimRequest").FirstBadCoinSignature());
            Assert.True(Get<Wallet.Protocol.Refunds.RefundClaimResponse>("RefundClaimResponse").Verify(Get<Wallet.Protocol.Refunds.RefundClaimRequest>("RefundClaimRequest").Hash(), scheme));
            Assert.True(Get<PayoutStatement>("PayoutStatement").Verify(scheme));
            Assert.True(Get<DuesMandate>("DuesMandate").Verify(provider));
            Assert.True(Get<DuesMandate>("DuesMandate#2").Verify(provider));
            Assert.True(Get<PaidUpStatement>("PaidUpStatement").Verify(Get<DuesMandate>("DuesMandate"), provider));
            Assert.False(Get<PaidUpStatement>("PaidUpStatement").Verify(Get<DuesMandate>("DuesMandate#2"), provider));
            Assert.True(((DoubleSpendProof)builder.Get("DoubleSpendProof").Value).Verify());
            Assert.True(((SwapDoubleSpendProof)builder.Get("SwapDoubleSpendProof").Value).Verify());
            Assert.True(((SwapDoubleSpendProof)builder.Get("SwapDoubleSpendProof#2").Value).Verify());
            Assert.True(((DepositReceipt)builder.Get("DepositReceipt").Value).Verify((DepositRequest)builder.Get("DepositRequest").Value, scheme));

            // Journal entries chain: each previous_hash is the hash of the entry before, from the genesis hash; and their
            // postings are listed in the canonical order, so an encoder may write them as given.
            var journal = Pb1VectorFile.Vectors(File).Where(v => v["type"]!.GetValue<string>() == "JournalEntry").ToList();
            string previous = Convert.ToHexStringLower(EntryHash.Genesis.Bytes);
            foreach (var entry in journal)
            {
                Assert.Equal(previous, entry["inputs"]!["previous_hash"]!.GetValue<string>());
                previous = entry["hash"]!.GetValue<string>();
                var built = (JournalEntry)builder.Get(entry["name"]!.GetValue<string>()).Value;
                var listed = entry["inputs"]!["postings"]!.AsArray().Select(p => (p!["account_key"]!.GetValue<string>(), p["delta"]!.GetValue<long>()));
                Assert.Equal(built.Postings.Select(p => (p.Account.Key, p.Delta)), listed);
            }
        }
        finally
        {
            keys.Values.ToList().ForEach(k => k.Dispose());
        }
    }

    [Fact]
    public void GeneratorReproducesTheCommittedFile()
    {
        string generated = Pb1VectorFile.Serialize(Pb1VectorCatalog.Generate());
        if (Environment.GetEnvironmentVariable(Pb1VectorFile.WriteVariable) == "1")
        {
            System.IO.File.WriteAllText(Pb1VectorFile.SourcePath(), generated);
            return;
        }

        Assert.True(
            JsonNode.DeepEquals(JsonNode.Parse(generated), File),
            $"The generator's output differs from {Pb1VectorFile.FileName}. If the format change is deliberate, rerun with {Pb1VectorFile.WriteVariable}=1 and commit the file.");
    }

    private static Pb1VectorBuilder Replay()
    {
        var builder = new Pb1VectorBuilder(Pb1VectorFile.Ed25519Seeds(File));
        foreach (var vector in Pb1VectorFile.Vectors(File))
        {
            builder.Add(vector["name"]!.GetValue<string>(), vector["type"]!.GetValue<string>(), vector["inputs"]!.AsObject());
        }

        return builder;
    }

    /// <summary>The hash definitions of Vectors/README.md, computed from the bytes alone.</summary>
    private static byte[] HashAsDocumented(string kind, byte[] encoded) => kind switch
    {
        "sha256" => SHA256.HashData(encoded),
        "rfc9162-leaf" => SHA256.HashData([0x00, .. encoded]),
        "pb1-ledger-entry" => SHA256.HashData([.. new SignatureDomain("PB1/ledger-entry", 1).Prefix, .. encoded]),
        _ => throw new InvalidOperationException($"Unknown hash kind {kind}."),
    };
}
