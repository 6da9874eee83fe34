using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Seeds;
using Wallet.Protocol.Audit;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Swaps;

/// <summary>
/// Swaps sign outside the scheme's gate (docs/PROTOCOL.md 5.10), so first spend wins must hold under real concurrency:
/// swaps and deposits of the same coin race on thread-pool threads released together by a barrier, round after round,
/// and exactly one wins each race, every loser gets its verifiable evidence, a retried swap gets the same signatures,
/// and the books and the log stay whole. Each store backend runs it.
/// </summary>
public abstract class SwapRaceContract
{
    private const int Rounds = 24;

    protected abstract Task<ProtocolWorld> CreateWorldAsync();

    [Fact]
    public async Task ConcurrentSwapsOfTheSameCoinHaveExactlyOneWinnerAndTheLoserGetsAProof()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await FundedAsync(world, Rounds);
        int winners = 0;
        foreach (var (coin, round) in wallet.Coins.Select((c, i) => (c, i)))
        {
            var first = SwapOf(world, seed, coin, $"race-{round}-a");
            var second = SwapOf(world, seed, coin, $"race-{round}-b");

            var (a, b) = await RaceAsync(() => world.Scheme.SwapAsync(first), () => world.Scheme.SwapAsync(second));

            Assert.Equal(1, new[] { a, b }.Count(r => r.Status == SwapStatus.Swapped));
            var (won, lost) = a.Status == SwapStatus.Swapped ? (first, b) : (second, a);
            Assert.Equal(SwapStatus.DoubleSpend, lost.Status);
            var proof = Assert.Single(lost.Proofs);
            Assert.True(proof.Verify());
            Assert.True(proof.FirstSwap!.SwapHash.SequenceEqual(won.Spend(0).SwapHash));
            Assert.Null(lost.Response);
            winners++;
        }

        await AssertWholeAsync(world, swapsLogged: winners);
        Assert.Equal(0, await world.Ledger.GetBalanceAsync(LedgerAccount.Outstanding(world.General500.Id)));
    }

    [Fact]
    public async Task ASwapAndADepositOfTheSameCoinHaveExactlyOneWinner()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await FundedAsync(world, Rounds);
        int swapWins = 0, depositWins = 0;
        foreach (var (coin, round) in wallet.Coins.Select((c, i) => (c, i)))
        {
            var swap = SwapOf(world, seed, coin, $"race-{round}-s");
            var payment = await world.UnionA.CreatePaymentRequestAsync(coin.Value, "dues", TimeSpan.FromHours(1));
            var deposit = new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey($"race-{round}-d"), ProtocolWorld.ForceSpends(seed, [coin], payment));

            // Alternate which side starts first on its thread, so both orders are raced.
            var (swapped, deposited) = round % 2 == 0
                ? await RaceAsync(() => world.Scheme.SwapAsync(swap), () => world.Scheme.DepositAsync(deposit))
                : Swap(await RaceAsync(() => world.Scheme.DepositAsync(deposit), () => world.Scheme.SwapAsync(swap)));

            bool swapWon = swapped.Status == SwapStatus.Swapped;
            bool depositWon = deposited.Status == DepositStatus.Accepted;
            Assert.True(swapWon ^ depositWon, $"round {round}: swap {swapped.Status}, deposit {deposited.Status}");
            if (swapWon)
            {
                // The deposit lost to a swap: it is told so, and nothing is credited.
                Assert.Equal(DepositRejectionReason.AlreadySwapped, Assert.Single(deposited.Rejections).Reason);
                Assert.Null(deposited.Receipt);
                swapWins++;
            }
            else
            {
                // The swap lost to a payment: the proof names the payment, and nothing was signed for it.
                Assert.Equal(SwapStatus.DoubleSpend, swapped.Status);
                Assert.Null(swapped.Response);
                var proof = Assert.Single(swapped.Proofs);
                Assert.NotNull(proof.FirstPayment);
                Assert.True(proof.Verify());
                depositWins++;
            }
        }

        Assert.Equal(Rounds, swapWins + depositWins);
        Assert.Equal(500L * depositWins, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
        Assert.Equal(500L * swapWins, (await world.Ledger.GetKeysetAsync(world.General500.Id)).SwappedIn.MinorUnits);
        await AssertWholeAsync(world, swapsLogged: swapWins);
    }

    [Fact]
    public async Task ASwapRetriedConcurrentlyIsAnsweredWithTheSameSignaturesAndLoggedOnce()
    {
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await FundedAsync(world, Rounds / 2);
        foreach (var (coin, round) in wallet.Coins.Select((c, i) => (c, i)))
        {
            var swap = SwapOf(world, seed, coin, $"retry-{round}");
            var (a, b) = await RaceAsync(() => world.Scheme.SwapAsync(SwapRequest.Decode(swap.Encode())), () => world.Scheme.SwapAsync(SwapRequest.Decode(swap.Encode())));

            Assert.Equal((SwapStatus.Swapped, SwapStatus.Swapped), (a.Status, b.Status));
            Assert.Equal(a.Response!.Encode(), b.Response!.Encode());
            Assert.Equal(a.Response.Encode(), (await world.Scheme.SwapAsync(swap)).Response!.Encode());
        }

        Assert.Equal(500L * (Rounds / 2), (await world.Ledger.GetKeysetAsync(world.General500.Id)).SwappedIn.MinorUnits);
        await AssertWholeAsync(world, swapsLogged: Rounds / 2);
    }

    [Fact]
    public async Task TwoBodiesUnderOneKeyRacingAreNeverBothAnswered()
    {
        // The ledger's request hash covers inputs and output values, not the blinded messages: both bodies get past it,
        // and both may be signed, but only the one stored first is ever released.
        using var world = await CreateWorldAsync();
        var (wallet, seed) = await FundedAsync(world, Rounds / 2);
        foreach (var (coin, round) in wallet.Coins.Select((c, i) => (c, i)))
        {
            var first = SwapOf(world, seed, coin, $"clash-{round}");
            var second = SwapOf(world, seed, coin, $"clash-{round}");
            var (a, b) = await RaceAsync(() => world.Scheme.SwapAsync(first), () => world.Scheme.SwapAsync(second));

            Assert.Equal(1, new[] { a, b }.Count(r => r.Status == SwapStatus.Swapped));
            var (won, lost) = a.Status == SwapStatus.Swapped ? ((first, a), b) : ((second, b), a);
            Assert.Null(lost.Response);
            Assert.Contains(lost.Status, new[] { SwapStatus.IdempotencyKeyReused, SwapStatus.DoubleSpend });
            Assert.Equal(won.Item2.Response!.Encode(), (await world.Scheme.SwapAsync(won.Item1)).Response!.Encode());
        }

        await AssertWholeAsync(world, swapsLogged: Rounds / 2);
    }

    private static (SwapResult, DepositResult) Swap((DepositResult Deposit, SwapResult Swap) raced) => (raced.Swap, raced.Deposit);

    // Starts both on thread-pool threads that wait at one barrier, so the two requests run at the same time.
    private static async Task<(T1, T2)> RaceAsync<T1, T2>(Func<Task<T1>> one, Func<Task<T2>> two)
    {
        using var barrier = new Barrier(2);
        var first = Task.Run(() =>
        {
            barrier.SignalAndWait();
            return one();
        });
        var second = Task.Run(() =>
        {
            barrier.SignalAndWait();
            return two();
        });
        return (await first, await second);
    }

    // One wallet holding `coins` coins of 500, all withdrawn in one request.
    private static async Task<(WorkerWallet Wallet, WalletSeed Seed)> FundedAsync(ProtocolWorld world, int coins)
    {
        var (wallet, seed) = await world.NewWalletAsync("racer", 500L * coins);
        await world.WithdrawAsync(wallet, "w-race", [.. Enumerable.Repeat(world.General500, coins)]);
        return (wallet, seed);
    }

    // A swap of one 500 coin into five 100 coins, signed with the coin's key. The outputs are fresh blinded messages
    // (random, below the modulus): the race is about the input, and every request has outputs of its own.
    private static SwapRequest SwapOf(ProtocolWorld world, WalletSeed seed, WalletCoin coin, string key)
    {
        using var secrets = seed.DeriveCoin(coin.Coin.Keyset.Bytes, coin.Counter);
        var outputs = Enumerable.Range(0, 5).Select(_ =>
        {
            byte[] blinded = RandomNumberGenerator.GetBytes(256);
            blinded[0] = 0;
            return new WithdrawalItem(world.General100.Id, BlindedMessage.FromBytes(blinded));
        }).ToList();
        return SwapRequest.Sign(new IdempotencyKey(key), [coin.Coin], outputs, [secrets.SigningKey]);
    }

    private static async Task AssertWholeAsync(ProtocolWorld world, int swapsLogged)
    {
        var head = await world.Scheme.GetTreeHeadAsync();
        var entries = new List<LogEntry>();
        for (ulong i = 0; i < head.TreeSize; i++)
        {
            entries.Add((await world.Scheme.GetLogEntryAsync(i))!);
        }

        Assert.Equal(swapsLogged, entries.Count(e => e.Kind == LogEntryKind.CoinsSwapped));
        var report = new LogAuditor(world.Scheme.PublicKey, world.AccreditationKey.PublicKey).Audit(entries, [head]);
        Assert.True(report.IsClean, string.Join("; ", report.Violations));
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }
}
