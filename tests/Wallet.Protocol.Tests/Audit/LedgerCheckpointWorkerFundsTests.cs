using Wallet.Crypto.Signing;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Log;
using Wallet.Protocol.Tests.Allocation;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Audit;

/// <summary>
/// The workers' totals per fund in a ledger checkpoint (encoding version 2, docs/PROTOCOL.md 5.15 and 5.22): the scheme
/// states them fund by fund, and the auditor checks that they add up to the worker kinds, that none is negative and
/// that each fund is one the log named.
/// </summary>
public sealed class LedgerCheckpointWorkerFundsTests
{
    [Fact]
    public async Task TheSchemeStatesEachFundOnItsOwnAndTheCheckpointIsClean()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;

            Assert.True(last.HasWorkerFunds);
            Assert.Equal([("general", 800L), ("training", 250L)], last.WorkerFunds.ToArray());
            Assert.Equal(800, last.TotalOf(LedgerTotalKind.Worker));
            Assert.Equal(250, last.TotalOf(LedgerTotalKind.WorkerFund));
            Assert.Empty(Audit(world, entries));
        }
    }

    [Fact]
    public async Task FundsThatDoNotAddUpToTheWorkerKindsAreReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;
            // 100 of general money restated as training: the sum over funds is right, the split is not.
            var forged = Resign(world.SchemeKey, last, workerFunds: [("general", 700), ("training", 350)]);

            Assert.Equal([AuditViolationKind.LedgerCheckpointWorkerFundsMismatch], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(forged)])));
        }
    }

    [Fact]
    public async Task ANegativeFundIsReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;
            // Workers owing 100 of general money, the contribution sources' total moved to match: only the fund shows it.
            var totals = last.Totals.Select(t => t.Kind switch
            {
                LedgerTotalKind.ContributionSource => (t.Kind, t.Balance + 900),
                LedgerTotalKind.Worker => (t.Kind, -100L),
                _ => (t.Kind, t.Balance),
            });
            var forged = Resign(world.SchemeKey, last, totals: totals, workerFunds: [("general", -100), ("training", 250)]);

            Assert.Equal([AuditViolationKind.LedgerCheckpointWorkerFundNegative], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(forged)])));
        }
    }

    [Fact]
    public async Task AFundTheLogNeverNamedIsReported()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;
            var forged = Resign(world.SchemeKey, last, workerFunds: [("apprentice", 50), ("general", 800), ("training", 200)]);

            Assert.Equal([AuditViolationKind.LedgerCheckpointUnknownWorkerFund], Kinds(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(forged)])));
        }
    }

    [Fact]
    public async Task AVersionOneCheckpointStatesNoFundsAndIsNotCheckedForThem()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;
            var v1 = LedgerCheckpointRecord.Sign(last.Sequence, last.TakenAt, last.LogSize, last.JournalEntries, last.JournalHeadHash, last.Totals, last.Keysets, last.Funds, world.SchemeKey);

            Assert.False(v1.HasWorkerFunds);
            Assert.Empty(v1.WorkerFunds);
            Assert.Equal(1, v1.Encode()[0]);
            Assert.Equal(2, last.Encode()[0]);
            Assert.Empty(Audit(world, [.. entries[..^1], LogEntry.ForLedgerCheckpoint(v1)]));
        }
    }

    [Fact]
    public async Task BothVersionsDecodeToThemselves()
    {
        var (world, entries) = await ScenarioAsync();
        using (world)
        {
            var last = entries[^1].LedgerCheckpoint!;
            var v1 = LedgerCheckpointRecord.Sign(last.Sequence, last.TakenAt, last.LogSize, last.JournalEntries, last.JournalHeadHash, last.Totals, last.Keysets, last.Funds, world.SchemeKey);

            var decoded = LedgerCheckpointRecord.Decode(last.Encode());
            Assert.Equal(last.Encode(), decoded.Encode());
            Assert.Equal(last.WorkerFunds.ToArray(), decoded.WorkerFunds.ToArray());
            Assert.True(decoded.Verify(world.SchemeKey.PublicKey));
            var decodedV1 = LedgerCheckpointRecord.Decode(v1.Encode());
            Assert.Equal(v1.Encode(), decodedV1.Encode());
            Assert.False(decodedV1.HasWorkerFunds);
            Assert.True(decodedV1.Verify(world.SchemeKey.PublicKey));
        }
    }

    [Fact]
    public void SigningRefusesAFundWithASlashOrARepeatedFundAndLeavesZeroesOut()
    {
        using var key = Ed25519SigningKey.Generate();
        var hash = new byte[LedgerCheckpointRecord.HashLength];

        Assert.Throws<ArgumentException>("workerFunds", () => Sign(key, hash, [("a/b", 5)]));
        Assert.Throws<ArgumentException>("workerFunds", () => Sign(key, hash, [("general", 5), ("general", 6)]));
        Assert.Throws<ArgumentNullException>("workerFunds", () => Sign(key, hash, null!));
        Assert.Equal([("general", 5L)], Sign(key, hash, [("training", 0), ("general", 5)]).WorkerFunds.ToArray());
    }

    private static LedgerCheckpointRecord Sign(Ed25519SigningKey key, byte[] hash, IEnumerable<(string, long)> workerFunds) =>
        LedgerCheckpointRecord.Sign(1, DateTimeOffset.UnixEpoch, 0, 0, hash, [], [], [], workerFunds, key);

    private static IReadOnlyList<AuditViolation> Audit(ProtocolWorld world, IReadOnlyList<LogEntry> entries) =>
        DefaultAllocationTests.Auditor(world).Audit(entries, []).Violations;

    private static AuditViolationKind[] Kinds(IReadOnlyList<AuditViolation> violations) => [.. violations.Select(v => v.Kind).Order()];

    private static LedgerCheckpointRecord Resign(Ed25519SigningKey key, LedgerCheckpointRecord r, IEnumerable<(LedgerTotalKind, long)>? totals = null, IEnumerable<(string, long)>? workerFunds = null) =>
        LedgerCheckpointRecord.Sign(r.Sequence, r.TakenAt, r.LogSize, r.JournalEntries, r.JournalHeadHash, totals ?? r.Totals, r.Keysets, r.Funds, workerFunds ?? r.WorkerFunds, key);

    /// <summary>A worker with 1000 of general money and 250 of levy in the training fund withdraws two general coins and a training coin; the last entry is a checkpoint.</summary>
    private static async Task<(ProtocolWorld World, List<LogEntry> Entries)> ScenarioAsync()
    {
        var world = await DefaultAllocationTests.WorldAsync();
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.CreditFundAsync("worker-1", "training", 250);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.Training100);
        Assert.NotNull(await world.Scheme.LogLedgerCheckpointAsync(new IdempotencyKey("cp-1")));
        return (world, await DefaultAllocationTests.EntriesAsync(world));
    }
}
