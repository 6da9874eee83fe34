using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Seeds;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Swaps;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Wallets;
using Wallet.Protocol.Withdrawals;

namespace Wallet.Protocol.Tests.Flows;

/// <summary>
/// Deposits and swaps verify their coins on several cores (docs/PROTOCOL.md 5.5, 5.10); the answer must be the one the
/// sequential path gives, with the same first rejection per payment and the same rejections in the same order.
/// </summary>
public sealed class ParallelVerificationTests
{
    private static readonly byte[] SeedBytes = [.. Enumerable.Range(1, 32).Select(i => (byte)i)];

    [Fact]
    public void EveryIndexIsCheckedOnceAndLandsInItsPlaceWhateverTheParallelism()
    {
        foreach (int parallelism in new[] { 1, 2, 3, 8 })
        {
            foreach (int count in new[] { 0, 1, 2, 7, 8, 9, 100, 101 })
            {
                int calls = 0;
                var results = ParallelChecks.Run(count, parallelism, parallelFrom: 1, i =>
                {
                    Interlocked.Increment(ref calls);
                    return i * 3;
                });

                Assert.Equal(count, calls);
                Assert.Equal(Enumerable.Range(0, count).Select(i => i * 3), results);
            }
        }
    }

    [Fact]
    public async Task ADepositBatchOfValidAndInvalidCoinsIsJudgedAlikeInParallelAndInSequence()
    {
        var sequential = await JudgeMixedBatchAsync(parallelism: 1);
        var parallel = await JudgeMixedBatchAsync(parallelism: 4);

        // Something of every kind was refused and accepted, so the comparison covers them.
        Assert.Contains(sequential.Rejections, r => r.Reason == DepositRejectionReason.BadIssuerSignature);
        Assert.Contains(sequential.Rejections, r => r.Reason == DepositRejectionReason.BadSpendSignature);
        Assert.Contains(sequential.Rejections, r => r.Reason == DepositRejectionReason.WrongProvider);
        Assert.Equal(2, sequential.Accepted);

        Assert.Equal(sequential.Rejections, parallel.Rejections);
        Assert.Equal(sequential.Outcomes, parallel.Outcomes);
        Assert.Equal(sequential.Accepted, parallel.Accepted);
    }

    [Fact]
    public async Task ASwapIsRefusedAtTheSameInputInParallelAndInSequence()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        world.Scheme.ParallelVerificationFrom = 1;
        var seed = world.Own(WalletSeed.FromBytes(SeedBytes));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1200, seed);
        await world.WithdrawAsync(wallet, "w1", [.. Enumerable.Repeat(world.General100, 12)]);
        var coins = wallet.Coins.ToList();

        // Input 7 has a bad spend signature and input 4 a bad issuer signature: the first in request order is the answer.
        var honest = SwapOf(world, seed, coins, "s-honest", forgedAt: -1);
        var badSpend = Tampered(SwapOf(world, seed, coins, "s-bad-spend", forgedAt: -1), spendAt: 7);
        var bad = Tampered(SwapOf(world, seed, coins, "s-bad", forgedAt: 4), spendAt: 7);
        foreach (var request in new[] { badSpend, bad })
        {
            world.Scheme.VerificationParallelism = 1;
            var inSequence = await world.Scheme.SwapAsync(request);
            world.Scheme.VerificationParallelism = 4;
            var inParallel = await world.Scheme.SwapAsync(request);
            Assert.Equal((inSequence.Status, inSequence.Index), (inParallel.Status, inParallel.Index));
        }

        Assert.Equal((SwapStatus.BadSpendSignature, 7), ((await world.Scheme.SwapAsync(badSpend)).Status, (await world.Scheme.SwapAsync(badSpend)).Index!.Value));
        Assert.Equal((SwapStatus.BadIssuerSignature, 4), ((await world.Scheme.SwapAsync(bad)).Status, (await world.Scheme.SwapAsync(bad)).Index!.Value));
        Assert.Equal(SwapStatus.Swapped, (await world.Scheme.SwapAsync(honest)).Status);
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);
    }

    [Fact]
    public async Task VerificationParallelismBelowOneIsRefused()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        Assert.Equal(Environment.ProcessorCount, world.Scheme.VerificationParallelism);
        Assert.Throws<ArgumentOutOfRangeException>("value", () => world.Scheme.VerificationParallelism = 0);
        Assert.Equal(Environment.ProcessorCount, world.Scheme.VerificationParallelism);
    }

    // One world per run, the same wallet seed (so the same coin ids), the same batch layout: six two-coin payments to
    // union A (valid; bad issuer signature; bad spend signature; bad issuer on one coin and bad spend on the other;
    // valid; both spends bad) and one payment made out to union B.
    private static async Task<(List<(int Index, DepositRejectionReason Reason)> Rejections, List<string> Outcomes, int Accepted)> JudgeMixedBatchAsync(int parallelism)
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        world.Scheme.VerificationParallelism = parallelism;
        world.Scheme.ParallelVerificationFrom = 1;
        var seed = world.Own(WalletSeed.FromBytes(SeedBytes));
        var (wallet, _) = await world.NewWalletAsync("worker-1", 1400, seed);
        await world.WithdrawAsync(wallet, "w1", [.. Enumerable.Repeat(world.General100, 14)]);
        var coins = wallet.Coins.OrderBy(c => c.Counter).ToList();
        var spends = new List<CoinSpend>();
        var layout = new (bool Issuer, bool Spend)[][]
        {
            [(false, false), (false, false)],
            [(false, false), (true, false)],
            [(false, true), (false, false)],
            [(true, false), (false, true)],
            [(false, false), (false, false)],
            [(false, true), (false, true)],
        };
        for (int p = 0; p < layout.Length; p++)
        {
            var request = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(200), $"p{p}", TimeSpan.FromHours(1));
            var paid = ProtocolWorld.ForceSpends(seed, coins.Skip(2 * p).Take(2), request);
            spends.AddRange(paid.Select((s, i) => Forge(s, layout[p][i].Issuer, layout[p][i].Spend)));
        }

        var elsewhere = await world.UnionB.CreatePaymentRequestAsync(Amount.FromMinorUnits(200), "b", TimeSpan.FromHours(1));
        spends.AddRange(ProtocolWorld.ForceSpends(seed, coins.Skip(12).Take(2), elsewhere));

        var result = await world.Scheme.DepositAsync(new DepositRequest(world.UnionA.Record.Id, new IdempotencyKey("d1"), spends));
        Assert.Empty((await world.Ledger.VerifyAsync()).Problems);

        // Payments are named by their coins (payment ids differ between the worlds, coin ids do not).
        var outcomes = result.Payments
            .Select(p => $"{string.Join(",", spends.Where(s => s.Request.Id == p.Payment).Select(s => s.Coin.Id.ToString()).Order())}:{p.Status}:{p.Reason}")
            .Order()
            .ToList();
        return ([.. result.Rejections.Select(r => (r.Index, r.Reason))], outcomes, result.Payments.Count(p => p.Status == DepositPaymentStatus.Accepted));
    }

    private static CoinSpend Forge(CoinSpend spend, bool issuer, bool spendSignature)
    {
        var coin = issuer ? Forged(spend.Coin) : spend.Coin;
        byte[] signature = spend.SpendSignature.ToArray();
        if (spendSignature)
        {
            signature[^1] ^= 1;
        }

        return new CoinSpend(coin, spend.Request, signature);
    }

    private static Coin Forged(Coin coin)
    {
        byte[] signature = coin.IssuerSignature.ToArray();
        signature[^1] ^= 1;
        return new Coin(coin.Keyset, coin.Id, signature);
    }

    private static SwapRequest SwapOf(ProtocolWorld world, WalletSeed seed, List<WalletCoin> coins, string key, int forgedAt)
    {
        var secrets = coins.Select(c => seed.DeriveCoin(c.Coin.Keyset.Bytes, c.Counter)).ToList();
        try
        {
            var outputs = coins.Select(_ =>
            {
                byte[] blinded = System.Security.Cryptography.RandomNumberGenerator.GetBytes(256);
                blinded[0] = 0;
                return new WithdrawalItem(world.General100.Id, BlindedMessage.FromBytes(blinded));
            }).ToList();
            return SwapRequest.Sign(new IdempotencyKey(key), [.. coins.Select((c, i) => i == forgedAt ? Forged(c.Coin) : c.Coin)], outputs, [.. secrets.Select(s => s.SigningKey)]);
        }
        finally
        {
            secrets.ForEach(s => s.Dispose());
        }
    }

    // Flips the last byte of one input's spend signature in the encoded request.
    private static SwapRequest Tampered(SwapRequest request, int spendAt)
    {
        byte[] bytes = request.Encode();
        byte[] signature = request.Spend(spendAt).SpendSignature.ToArray();
        int at = bytes.AsSpan().IndexOf(signature);
        Assert.True(at >= 0);
        bytes[at + signature.Length - 1] ^= 1;
        return SwapRequest.Decode(bytes);
    }
}
