using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Refunds;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Withdrawals;
using Wallet.Storage.Postgres.Scheme;
using Wallet.Storage.Postgres.Tests.Server;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Postgres.Tests.Scheme;

/// <summary>
/// Two scheme nodes over one database: two store instances, each with its own connection pool, as two processes would
/// have. What one commits the other reads at once, and when both put under one key at the same moment exactly one
/// value is kept, the same for both, with only the winner's dependent rows.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeStoreMultiNodeTests(PostgresFixture server) : IAsyncLifetime
{
    private const int Rounds = 12;
    private static readonly CancellationToken None = CancellationToken.None;
    private static readonly DateTimeOffset Day = new(2026, 2, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly Ed25519SigningKey ReceiptKey = Ed25519SigningKey.Generate();
    private PostgresSchemeStore _a = null!;
    private PostgresSchemeStore _b = null!;

    public async Task InitializeAsync()
    {
        string schema = await server.NewSchemaAsync("nodes");
        _a = await PostgresSchemeStore.OpenAsync(schema);
        _b = await PostgresSchemeStore.OpenAsync(schema);
    }

    public async Task DisposeAsync()
    {
        await _a.DisposeAsync();
        await _b.DisposeAsync();
    }

    [Fact]
    public async Task WhatOneNodeWritesTheOtherReadsAtOnce()
    {
        var samples = new MessageSamples(81);
        var announcement = samples.Announcement();
        var request = samples.Withdrawal();
        var response = Response(request, 5, samples);
        var spend = samples.Spend();
        var receipt = samples.DepositReceipt();
        var entry = samples.LogEntry();
        var registry = samples.Registry();
        var record = samples.ContributionRecord();
        using var accountKey = Ed25519SigningKey.Generate();
        var account = new AccountId("node-a-account");

        // Read once on B first, so nothing B might remember could hide A's writes afterwards.
        Assert.Null(await _b.GetKeysetAsync(announcement.Descriptor.Id, None));
        Assert.Null(await _b.GetWithdrawalAsync(request.Account, request.IdempotencyKey, None));
        Assert.Null(await _b.GetSpendAsync(spend.Coin.Id, None));
        Assert.Empty(await _b.ListRegistriesAsync(None));

        await _a.PutKeysetAsync(new StoredKeyset(announcement, 0, false), None);
        await _a.PutWithdrawalAsync(request, response, None);
        await _a.PutSpendsAsync([spend], None);
        await _a.PutDepositAsync(new StoredDeposit(samples.Bytes(32), receipt), None);
        await _a.PutLogEntryAsync(0, entry, "op-0", None);
        await _a.PutRegistryAsync(registry, None);
        await _a.PutContributionRecordsAsync([record], None);
        await _a.PutAccountKeyAsync(account, accountKey.PublicKey, None);

        Assert.False((await _b.GetKeysetAsync(announcement.Descriptor.Id, None))!.Revoked);
        Assert.Equal(response.Encode(), (await _b.GetWithdrawalAsync(request.Account, request.IdempotencyKey, None))!.Response.Encode());
        Assert.Equal(response.BlindSignatures[0], await _b.FindBlindSignatureAsync(request.Items[0].BlindedMessage, None));
        Assert.Equal(request.Account, await _b.FindWithdrawingAccountAsync(request.Items[0].BlindedMessage, None));
        Assert.Equal(spend.Encode(), (await _b.GetSpendAsync(spend.Coin.Id, None))!.Encode());
        Assert.Equal(receipt.Encode(), (await _b.GetDepositAsync(receipt.Provider, receipt.IdempotencyKey, None))!.Receipt.Encode());
        Assert.Equal(0UL, await _b.FindLogIndexAsync("op-0", None));
        Assert.Equal(entry.Encode(), (await _b.GetLogEntryAsync(0, None))!.Encode());
        Assert.Equal([registry.Encode()], (await _b.ListRegistriesAsync(None)).Select(r => r.Encode()));
        Assert.Equal(record, await _b.GetContributionRecordAsync(record.LedgerKey, None));
        Assert.True(await _b.HasAccountAsync(account, None));

        // And back: B's changes are A's reads.
        Assert.True(await _b.RevokeKeysetAsync(announcement.Descriptor.Id, None));
        Assert.True((await _a.GetKeysetAsync(announcement.Descriptor.Id, None))!.Revoked);
        var moved = samples.LogEntry();
        await _b.PutLogEntryAsync(1, moved, "op-0", None);
        Assert.Equal(1UL, await _a.FindLogIndexAsync("op-0", None));
        Assert.Null(await _a.GetLogEntryAsync(0, None));
    }

    [Fact]
    public async Task ConcurrentWithdrawalPutsUnderOneKeyKeepOneAnswerAndOnlyItsBlindSignatures()
    {
        var samples = new MessageSamples(82);
        for (int round = 0; round < Rounds; round++)
        {
            var request = samples.Withdrawal();
            var first = Response(request, 5, samples);
            var second = Response(request, 6, samples);

            await Race(s => s == _a ? s.PutWithdrawalAsync(request, first, None) : s.PutWithdrawalAsync(request, second, None));

            var onA = (await _a.GetWithdrawalAsync(request.Account, request.IdempotencyKey, None))!.Response;
            var onB = (await _b.GetWithdrawalAsync(request.Account, request.IdempotencyKey, None))!.Response;
            Assert.Equal(onA.Encode(), onB.Encode());
            var winner = onA.Encode().AsSpan().SequenceEqual(first.Encode()) ? first : second;
            Assert.Equal(winner.Encode(), onA.Encode());
            for (int i = 0; i < request.Items.Length; i++)
            {
                Assert.Equal(winner.BlindSignatures[i], await _b.FindBlindSignatureAsync(request.Items[i].BlindedMessage, None));
            }
        }
    }

    [Fact]
    public async Task ConcurrentFirstSpendsOfOneCoinKeepOneSpend()
    {
        var samples = new MessageSamples(83);
        for (int round = 0; round < Rounds; round++)
        {
            using var coinKey = Ed25519SigningKey.Generate();
            var coin = new Coin(samples.KeysetId(), new CoinId(coinKey.PublicKey.AsSpan()), samples.Bytes(256));
            var first = CoinSpend.Sign(coin, samples.Request(), coinKey);
            var second = CoinSpend.Sign(coin, samples.Request(), coinKey);

            await Race(s => s.PutSpendsAsync([s == _a ? first : second], None));

            byte[] kept = (await _a.GetSpendAsync(coin.Id, None))!.Encode();
            Assert.Equal(kept, (await _b.GetSpendAsync(coin.Id, None))!.Encode());
            Assert.True(kept.AsSpan().SequenceEqual(first.Encode()) || kept.AsSpan().SequenceEqual(second.Encode()));
        }
    }

    [Fact]
    public async Task ConcurrentSwapPutsUnderOneKeyKeepOneSwapAndOnlyItsSpends()
    {
        var swaps = new SwapSamples(84);
        var samples = new MessageSamples(84);
        for (int round = 0; round < Rounds; round++)
        {
            var key = new IdempotencyKey($"swap-{round}");
            var response = swaps.Response();
            var outputs = response.BlindSignatures.Select(_ => BlindedMessage.FromBytes(samples.Bytes(256))).ToList();
            var spendA = swaps.Spend();
            var spendB = swaps.Spend();
            byte[] hashA = samples.Bytes(32);
            byte[] hashB = samples.Bytes(32);

            await Race(s => s == _a
                ? s.PutSwapAsync(key, new StoredSwap(hashA, response), outputs, [spendA], None)
                : s.PutSwapAsync(key, new StoredSwap(hashB, response), outputs, [spendB], None));

            byte[] kept = (await _b.GetSwapAsync(key, None))!.RequestHash.ToArray();
            bool aWon = kept.AsSpan().SequenceEqual(hashA);
            Assert.True(aWon || kept.AsSpan().SequenceEqual(hashB));
            Assert.NotNull(await _a.GetSwapSpendAsync((aWon ? spendA : spendB).Coin.Id, None));
            Assert.Null(await _a.GetSwapSpendAsync((aWon ? spendB : spendA).Coin.Id, None));
        }
    }

    [Fact]
    public async Task ConcurrentRefundClaimsOfOneRefundIndexOnlyTheWinner()
    {
        var refunds = new RefundSamples(85);
        for (int round = 0; round < Rounds; round++)
        {
            var refund = refunds.Refund();
            var keyA = new IdempotencyKey($"rf-a-{round}");
            var keyB = new IdempotencyKey($"rf-b-{round}");

            // Two keys claiming the same refund at once: each claim row is its own, the refund and coins go to one key.
            await Race(s => s.PutRefundClaimAsync(s == _a ? keyA : keyB, new StoredRefundClaim(new byte[32], refund.Id, refund.Coins, null), None));

            var owner = await _a.FindRefundClaimAsync(refund.Id, None);
            Assert.True(owner == keyA || owner == keyB);
            Assert.Equal(owner, await _b.FindRefundClaimAsync(refund.Id, None));
            foreach (var coin in refund.Coins)
            {
                Assert.Equal(owner, await _b.FindCoinRefundAsync(coin, None));
            }

            // The response is written once, whichever node answers first.
            var answerA = refunds.Response();
            await Race(s => s.PutRefundResponseAsync(owner!, s == _a ? answerA : refunds.Response(), None));
            var stored = (await _a.GetRefundClaimAsync(owner!, None))!.Response;
            Assert.Equal(stored!.Encode(), (await _b.GetRefundClaimAsync(owner!, None))!.Response!.Encode());
        }
    }

    [Fact]
    public async Task ConcurrentKeysetPutsKeepOneRowEachAndBothNodesListOneOrder()
    {
        var samples = new MessageSamples(86);
        var announcements = Enumerable.Range(0, Rounds).Select(_ => samples.Announcement()).ToList();

        await Race(async s =>
        {
            for (int i = 0; i < announcements.Count; i++)
            {
                await s.PutKeysetAsync(new StoredKeyset(announcements[i], (ulong)i, s == _b), None);
            }
        });

        var onA = await _a.ListKeysetsAsync(None);
        var onB = await _b.ListKeysetsAsync(None);
        Assert.Equal(announcements.Count, onA.Count);
        Assert.Equal(onA.Select(k => (k.Announcement.Encode(), k.LogIndex, k.Revoked)), onB.Select(k => (k.Announcement.Encode(), k.LogIndex, k.Revoked)));
        Assert.Equal(announcements.Select(a => a.Encode()).Order(ByteOrder.Instance), onA.Select(k => k.Announcement.Encode()).Order(ByteOrder.Instance));
    }

    private static WithdrawalResponse Response(WithdrawalRequest request, long amount, MessageSamples samples) =>
        new(WithdrawalReceipt.Sign(request, Amount.FromMinorUnits(amount), Day, ReceiptKey), [.. request.Items.Select(_ => BlindSignature.FromBytes(samples.Bytes(256)))]);

    // Both nodes start the same put together, each on its own thread and connection pool.
    private async Task Race(Func<PostgresSchemeStore, ValueTask> put)
    {
        using var start = new Barrier(2);
        await Task.WhenAll(
            Task.Run(async () => { start.SignalAndWait(); await put(_a); }),
            Task.Run(async () => { start.SignalAndWait(); await put(_b); }));
    }

    private sealed class ByteOrder : IComparer<byte[]>
    {
        public static readonly ByteOrder Instance = new();

        public int Compare(byte[]? x, byte[]? y) => x.AsSpan().SequenceCompareTo(y);
    }
}
