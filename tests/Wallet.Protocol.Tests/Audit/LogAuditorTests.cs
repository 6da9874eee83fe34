using Wallet.Crypto.Merkle;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Log;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Ledger;

namespace Wallet.Protocol.Tests.Audit;

public sealed class LogAuditorTests
{
    [Fact]
    public async Task HonestLogIsCleanAndTotalsMatchTheLedger()
    {
        var (world, entries, heads) = await ScenarioAsync();
        using (world)
        {
            var report = Auditor(world).Audit(entries, heads);

            Assert.True(report.IsClean, string.Join("; ", report.Violations));
            var general100 = report.Keysets.Single(k => k.Keyset == world.General100.Id);
            Assert.Equal(3, general100.Issued);
            Assert.Equal(2, general100.Spent);
            var totals = await world.Ledger.GetKeysetAsync(world.General100.Id);
            Assert.Equal(totals.Issued.MinorUnits, general100.Issued * 100);
        }
    }

    [Fact]
    public async Task ReplayedSpentEntryIsReportedAsDuplicateAndOverspend()
    {
        var (world, entries, heads) = await ScenarioAsync();
        using (world)
        {
            var spentEntry = entries.Last(e => e.Kind == LogEntryKind.CoinsSpent);
            var report = Auditor(world).Audit([.. entries, spentEntry, spentEntry], []);

            Assert.Contains(report.Violations, v => v.Kind == AuditViolationKind.DuplicateSpend && v.Position == (ulong)entries.Count);
            Assert.Contains(report.Violations, v => v.Kind == AuditViolationKind.SpentExceedsIssued);
        }
    }

    [Fact]
    public async Task ForgedCoinAndUnknownKeysetAreReported()
    {
        var (world, entries, _) = await ScenarioAsync();
        using (world)
        {
            var real = entries.Last(e => e.Kind == LogEntryKind.CoinsSpent).SpentCoins!.Coins[0];
            byte[] badSignature = real.IssuerSignature.ToArray();
            badSignature[10] ^= 1;
            var forged = new Coin(real.Keyset, new CoinId(new byte[32]), badSignature);
            var stranger = new Coin(new KeysetId(new byte[32]), real.Id, real.IssuerSignature);
            var entry = LogEntry.ForSpentCoins(new SpentCoinsRecord(world.Time.GetUtcNow(), [forged, stranger]));

            var report = Auditor(world).Audit([.. entries, entry], []);

            Assert.Contains(report.Violations, v => v.Kind == AuditViolationKind.BadIssuerSignature && v.Detail.Contains(forged.Id.ToString(), StringComparison.Ordinal));
            Assert.Contains(report.Violations, v => v.Kind == AuditViolationKind.UnknownKeyset);
        }
    }

    [Fact]
    public async Task TreeHeadOfARewrittenLogIsReported()
    {
        var (world, entries, heads) = await ScenarioAsync();
        using (world)
        {
            var rewritten = new MerkleLog(new InMemoryMerkleLogStore());
            foreach (var e in entries.Take(entries.Count - 1))
            {
                await rewritten.AppendAsync(e.Encode());
            }

            await rewritten.AppendAsync(LogEntry.ForSpentCoins(new SpentCoinsRecord(world.Time.GetUtcNow(), [entries.Last(e => e.Kind == LogEntryKind.CoinsSpent).SpentCoins!.Coins[0]])).Encode());
            var forked = await rewritten.SignTreeHeadAsync(world.SchemeKey, world.Time);

            var report = Auditor(world).Audit(entries, [.. heads, forked]);

            var violation = Assert.Single(report.Violations);
            Assert.Equal(AuditViolationKind.TreeHeadMismatch, violation.Kind);
            Assert.Equal(forked.TreeSize, violation.Position);
        }
    }

    [Fact]
    public async Task ExpiryMovesTheUnspentValueAndTheAuditAgrees()
    {
        var (world, _, _) = await ScenarioAsync();
        using (world)
        {
            Assert.Null(await world.Scheme.ExpireKeysetAsync(world.General100.Id));
            world.Time.Advance(TimeSpan.FromDays(91));

            var expiry = await world.Scheme.ExpireKeysetAsync(world.General100.Id);

            Assert.Equal(100, expiry!.Value.MinorUnits);
            Assert.Null(await world.Scheme.ExpireKeysetAsync(world.General100.Id));
            Assert.True((await world.Ledger.GetKeysetAsync(world.General100.Id)).IsExpired);
            var entries = new List<LogEntry>();
            for (ulong i = 0; await world.Scheme.GetLogEntryAsync(i) is { } entry; i++)
            {
                entries.Add(entry);
            }

            Assert.True(Auditor(world).Audit(entries, [await world.Scheme.GetTreeHeadAsync()]).IsClean);
            var lying = LogEntry.ForExpiry(expiry with { Value = Amount.FromMinorUnits(0) });
            Assert.Contains(Auditor(world).Audit([.. entries, lying], []).Violations, v => v.Kind == AuditViolationKind.ExpiryMismatch);
        }
    }

    [Fact]
    public async Task ReplayedSwapEntryIsReportedAsDuplicateSpend()
    {
        var (world, entries, _) = await ScenarioAsync();
        using (world)
        {
            var spent = entries.Last(e => e.Kind == LogEntryKind.CoinsSpent).SpentCoins!;
            var issuedKeyset = entries.First(e => e.Kind == LogEntryKind.KeysetAnnounced).Keyset!.Descriptor;
            var swap = LogEntry.ForSwap(new SwapRecord(world.Time.GetUtcNow(), false, [spent.Coins[0]], [(issuedKeyset.Id, 1)]));

            var report = Auditor(world).Audit([.. entries, swap], []);

            Assert.Contains(report.Violations, v => v.Kind == AuditViolationKind.DuplicateSpend && v.Position == (ulong)entries.Count);
        }
    }

    [Fact]
    public async Task SwapIntoAnotherFundIsReportedAsValueMismatch()
    {
        var (world, entries, _) = await ScenarioAsync();
        using (world)
        {
            // A general-fund coin of 100 comes back as a training coin of 100: same value, other fund.
            var forgedInput = entries.Last(e => e.Kind == LogEntryKind.CoinsSpent).SpentCoins!.Coins[0];
            var clean = Auditor(world).Audit([.. entries], []);
            var swap = LogEntry.ForSwap(new SwapRecord(world.Time.GetUtcNow(), false, [forgedInput], [(world.Training100.Id, 1)]));

            var report = Auditor(world).Audit([.. entries, swap], []);

            Assert.True(clean.IsClean);
            Assert.Contains(report.Violations, v => v.Kind == AuditViolationKind.SwapValueMismatch && v.Position == (ulong)entries.Count);
            Assert.Equal(1, report.Keysets.Single(k => k.Keyset == world.Training100.Id).Issued);
        }
    }

    private static LogAuditor Auditor(ProtocolWorld world) => new(world.Scheme.PublicKey, world.AccreditationKey.PublicKey);

    private static async Task<(ProtocolWorld World, List<LogEntry> Entries, List<SignedTreeHead> Heads)> ScenarioAsync()
    {
        var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var heads = new List<SignedTreeHead> { await world.Scheme.GetTreeHeadAsync() };
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1000);
        await world.WithdrawAsync(wallet, "w1", world.General100, world.General100, world.General100, world.General500);
        await world.PayAsync(wallet, world.UnionA, 200);
        await world.DepositAsync(world.UnionA, "d1");
        heads.Add(await world.Scheme.GetTreeHeadAsync());
        var entries = new List<LogEntry>();
        for (ulong i = 0; await world.Scheme.GetLogEntryAsync(i) is { } entry; i++)
        {
            entries.Add(entry);
        }

        return (world, entries, heads);
    }
}
