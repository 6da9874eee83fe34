using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using Wallet.Protocol.Ledger;
using static Wallet.Storage.Testing.LedgerFixtures;

namespace Wallet.Protocol.Tests.Ledger;

/// <summary>
/// An idempotency key names one request: reusing it for a request that differs in any field the request hash
/// covers is refused as <see cref="LedgerStatus.IdempotencyKeyReused"/> with nothing moved, never answered with the
/// first request's stored result. One case per operation and per field; the same request in another order replays.
/// In memory here; the SQLite suite runs the same cases on its store.
/// </summary>
public class LedgerIdempotencyHashTests : LedgerTestBase
{
    private static readonly Dictionary<string, (Func<SchemeLedger, Task<LedgerResult>> First, Func<SchemeLedger, Task<LedgerResult>> Reuse)> Cases = new()
    {
        ["contribute/source"] = (l => l.ContributeAsync(Key("k"), ContributionSource.Employer, Worker(1), Pence(10)),
            l => l.ContributeAsync(Key("k"), ContributionSource.Levy, Worker(1), Pence(10))),
        ["contribute/worker"] = (l => l.ContributeAsync(Key("k"), ContributionSource.Employer, Worker(1), Pence(10)),
            l => l.ContributeAsync(Key("k"), ContributionSource.Employer, Worker(2), Pence(10))),
        ["contribute/amount"] = (l => l.ContributeAsync(Key("k"), ContributionSource.Employer, Worker(1), Pence(10)),
            l => l.ContributeAsync(Key("k"), ContributionSource.Employer, Worker(1), Pence(11))),

        ["withdraw/worker"] = (l => l.WithdrawAsync(Key("k"), Worker(1), [Issue(1, 10)]),
            l => l.WithdrawAsync(Key("k"), Worker(2), [Issue(1, 10)])),
        ["withdraw/output-keyset"] = (l => l.WithdrawAsync(Key("k"), Worker(1), [Issue(1, 10)]),
            l => l.WithdrawAsync(Key("k"), Worker(1), [Issue(2, 10)])),
        ["withdraw/output-amount"] = (l => l.WithdrawAsync(Key("k"), Worker(1), [Issue(1, 10)]),
            l => l.WithdrawAsync(Key("k"), Worker(1), [Issue(1, 11)])),
        ["withdraw/output-count"] = (l => l.WithdrawAsync(Key("k"), Worker(1), [Issue(1, 10)]),
            l => l.WithdrawAsync(Key("k"), Worker(1), [Issue(1, 10), Issue(1, 10)])),

        ["deposit/provider"] = (l => l.DepositAsync(Key("k"), Provider(1), [Spent(101, 1, 10)]),
            l => l.DepositAsync(Key("k"), Provider(2), [Spent(101, 1, 10)])),
        ["deposit/coin"] = (l => l.DepositAsync(Key("k"), Provider(1), [Spent(101, 1, 10)]),
            l => l.DepositAsync(Key("k"), Provider(1), [Spent(102, 1, 10)])),
        ["deposit/coin-keyset"] = (l => l.DepositAsync(Key("k"), Provider(1), [Spent(101, 1, 10)]),
            l => l.DepositAsync(Key("k"), Provider(1), [Spent(101, 2, 10)])),
        ["deposit/coin-amount"] = (l => l.DepositAsync(Key("k"), Provider(1), [Spent(101, 1, 10)]),
            l => l.DepositAsync(Key("k"), Provider(1), [Spent(101, 1, 11)])),
        ["deposit/coin-count"] = (l => l.DepositAsync(Key("k"), Provider(1), [Spent(101, 1, 10)]),
            l => l.DepositAsync(Key("k"), Provider(1), [Spent(101, 1, 10), Spent(102, 1, 10)])),

        ["swap/input-coin"] = (l => l.SwapAsync(Key("k"), [Spent(201, 1, 10)], [Issue(2, 10)]),
            l => l.SwapAsync(Key("k"), [Spent(202, 1, 10)], [Issue(2, 10)])),
        ["swap/input-keyset"] = (l => l.SwapAsync(Key("k"), [Spent(201, 1, 10)], [Issue(2, 10)]),
            l => l.SwapAsync(Key("k"), [Spent(201, 2, 10)], [Issue(2, 10)])),
        ["swap/input-amount"] = (l => l.SwapAsync(Key("k"), [Spent(201, 1, 10)], [Issue(2, 10)]),
            l => l.SwapAsync(Key("k"), [Spent(201, 1, 11)], [Issue(2, 10)])),
        ["swap/output-keyset"] = (l => l.SwapAsync(Key("k"), [Spent(201, 1, 10)], [Issue(2, 10)]),
            l => l.SwapAsync(Key("k"), [Spent(201, 1, 10)], [Issue(1, 10)])),
        ["swap/output-amount"] = (l => l.SwapAsync(Key("k"), [Spent(201, 1, 10)], [Issue(2, 10)]),
            l => l.SwapAsync(Key("k"), [Spent(201, 1, 10)], [Issue(2, 4), Issue(2, 6)])),

        ["expire/keyset"] = (l => l.ExpireAsync(Key("k"), Keyset(1)),
            l => l.ExpireAsync(Key("k"), Keyset(2))),

        ["allocate/from-kind"] = (l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Expired, LedgerAccount.DefaultPool, Pence(10)),
            l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Worker(Worker(1)), LedgerAccount.DefaultPool, Pence(10))),
        ["allocate/from-worker"] = (l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Worker(Worker(1)), LedgerAccount.DefaultPool, Pence(10)),
            l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Worker(Worker(2)), LedgerAccount.DefaultPool, Pence(10))),
        ["allocate/to-kind"] = (l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Expired, LedgerAccount.DefaultPool, Pence(10)),
            l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Expired, LedgerAccount.Provider(Provider(1)), Pence(10))),
        ["allocate/to-provider"] = (l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Expired, LedgerAccount.Provider(Provider(1)), Pence(10)),
            l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Expired, LedgerAccount.Provider(Provider(2)), Pence(10))),
        ["allocate/amount"] = (l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Expired, LedgerAccount.DefaultPool, Pence(10)),
            l => l.AllocateDefaultAsync(Key("k"), LedgerAccount.Expired, LedgerAccount.DefaultPool, Pence(11))),

        ["operation/contribute-then-withdraw"] = (l => l.ContributeAsync(Key("k"), ContributionSource.Employer, Worker(1), Pence(10)),
            l => l.WithdrawAsync(Key("k"), Worker(1), [Issue(1, 10)])),
        ["operation/withdraw-then-swap"] = (l => l.WithdrawAsync(Key("k"), Worker(1), [Issue(1, 10)]),
            l => l.SwapAsync(Key("k"), [Spent(201, 1, 10)], [Issue(1, 10)])),
    };

    public static TheoryData<string> CaseNames => [.. Cases.Keys];

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task ReusedKeyWithAnyFieldChangedIsRefusedAndMovesNothing(string name)
    {
        var (first, reuse) = Cases[name];
        await SetUpWorldAsync();
        var original = await first(Ledger);
        Assert.Equal(LedgerStatus.Applied, original.Status);
        string before = await SnapshotAsync();

        var reused = await reuse(Ledger);

        Assert.Equal(LedgerStatus.IdempotencyKeyReused, reused.Status);
        Assert.False(reused.IsReplay);
        Assert.Null(reused.Entry);
        Assert.Empty(reused.Conflicts);
        Assert.Equal(before, await SnapshotAsync());
        var replay = await first(Ledger);
        Assert.True(replay.IsReplay);
        Assert.Equal(original.Entry!.Hash, replay.Entry!.Hash);
    }

    [Theory]
    [MemberData(nameof(CaseNames))]
    public async Task ReusedKeyAfterARefusalIsStillRefusedForAnotherRequest(string name)
    {
        // On an empty ledger most first requests are refused (nothing funded); a refusal's outcome is stored too,
        // and a different request under the same key must not be taken for a retry of it either.
        var (first, reuse) = Cases[name];
        var original = await first(Ledger);
        Assert.NotEqual(LedgerStatus.IdempotencyKeyReused, original.Status);
        string before = await SnapshotAsync();

        var reused = await reuse(Ledger);

        Assert.Equal(LedgerStatus.IdempotencyKeyReused, reused.Status);
        Assert.Null(reused.Entry);
        Assert.True((await first(Ledger)).IsReplay);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task WithdrawalRetriedWithOutputsInAnotherOrderReplays()
    {
        await SetUpWorldAsync();
        var first = await Ledger.WithdrawAsync(Key("k"), Worker(1), [Issue(2, 5), Issue(1, 10), Issue(1, 20)]);
        string before = await SnapshotAsync();

        var retry = await Ledger.WithdrawAsync(Key("k"), Worker(1), [Issue(1, 20), Issue(2, 5), Issue(1, 10)]);

        Assert.True(first.Succeeded);
        Assert.True(retry.IsReplay);
        Assert.Equal(first.Entry!.Hash, retry.Entry!.Hash);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task SwapRetriedWithInputsAndOutputsInAnotherOrderReplays()
    {
        await SetUpWorldAsync();
        var first = await Ledger.SwapAsync(Key("k"), [Spent(201, 1, 10), Spent(202, 2, 20)], [Issue(2, 5), Issue(1, 10), Issue(1, 15)]);
        string before = await SnapshotAsync();

        var retry = await Ledger.SwapAsync(Key("k"), [Spent(202, 2, 20), Spent(201, 1, 10)], [Issue(1, 15), Issue(2, 5), Issue(1, 10)]);

        Assert.True(first.Succeeded);
        Assert.True(retry.IsReplay);
        Assert.Equal(first.Entry!.Hash, retry.Entry!.Hash);
        Assert.Equal(before, await SnapshotAsync());
    }

    [Fact]
    public async Task StoredRequestHashIsTheDocumentedEncoding()
    {
        // The request hash is stored with the outcome, so its encoding is a persisted format: a retry after an
        // upgrade must still match. Built here byte by byte: "PB1/ledger-request", version 1, kind, then fields.
        await SetUpWorldAsync();
        await Ledger.SwapAsync(Key("k"), [Spent(202, 2, 20), Spent(201, 1, 10)], [Issue(1, 15), Issue(2, 5), Issue(1, 10)]);
        await Ledger.AllocateDefaultAsync(Key("a"), LedgerAccount.Worker(Worker(1)), LedgerAccount.Provider(Provider(1)), Pence(7));

        var coins = new[] { Spent(202, 2, 20), Spent(201, 1, 10) }.OrderBy(c => c.Coin).ToArray();
        var outputs = new[] { Issue(1, 10), Issue(1, 15), Issue(2, 5) }.OrderBy(o => o.Keyset).ThenBy(o => o.Value).ToArray();
        byte[] swap = [
            .. Header(EntryKind.Swap),
            .. U32(2), .. coins.SelectMany(c => (byte[])[.. c.Coin.Bytes.ToArray(), .. c.Keyset.Bytes.ToArray(), .. I64(c.Value.MinorUnits)]),
            .. U32(3), .. outputs.SelectMany(o => (byte[])[.. o.Keyset.Bytes.ToArray(), .. I64(o.Value.MinorUnits)]),
        ];
        byte[] allocation = [
            .. Header(EntryKind.DefaultAllocation),
            (byte)LedgerAccountKind.Worker, .. Ascii(Worker(1).Value),
            (byte)LedgerAccountKind.ProviderPayable, .. Ascii(Provider(1).Value),
            .. I64(7),
        ];

        await using var tx = await Store.BeginReadAsync(CancellationToken.None);
        Assert.Equal(SHA256.HashData(swap), (await tx.FindOutcomeAsync(Key("k"), CancellationToken.None))!.RequestHash.ToArray());
        Assert.Equal(SHA256.HashData(allocation), (await tx.FindOutcomeAsync(Key("a"), CancellationToken.None))!.RequestHash.ToArray());

        static byte[] Header(EntryKind kind) => [.. Ascii("PB1/ledger-request"), 1, (byte)kind];
        static byte[] Ascii(string text) => [(byte)text.Length, .. Encoding.ASCII.GetBytes(text)];
        static byte[] U32(uint value)
        {
            var bytes = new byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(bytes, value);
            return bytes;
        }

        static byte[] I64(long value)
        {
            var bytes = new byte[8];
            BinaryPrimitives.WriteInt64BigEndian(bytes, value);
            return bytes;
        }
    }

    /// <summary>
    /// Funds for every case: workers 1 and 2 hold 300, keysets 1 and 2 have 500 outstanding each, and keyset 3
    /// expired with 200, which sits in the expired account.
    /// </summary>
    private async Task SetUpWorldAsync()
    {
        await FundAsync(Worker(10), 1, 500);
        await FundAsync(Worker(11), 2, 500);
        await FundAsync(Worker(12), 3, 200);
        Assert.True((await Ledger.ExpireAsync(Key("expire-3"), Keyset(3))).Succeeded);
        Assert.True((await Ledger.ContributeAsync(Key("fund-1"), ContributionSource.State, Worker(1), Pence(300))).Succeeded);
        Assert.True((await Ledger.ContributeAsync(Key("fund-2"), ContributionSource.State, Worker(2), Pence(300))).Succeeded);
    }
}
