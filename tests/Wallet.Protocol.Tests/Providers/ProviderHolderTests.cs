using Wallet.Crypto.Merkle;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;

namespace Wallet.Protocol.Tests.Providers;

/// <summary>The provider's side of holder proofs (docs/PROTOCOL.md 5.20): only the wallet holding a payment's coins hears about it, once per proof.</summary>
public sealed class ProviderHolderTests
{
    [Fact]
    public async Task TheWalletThatPaidGetsTheStatusAndThenTheReceipt()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-h1", world.General100, world.General100);
        var (request, _) = await world.PayAsync(wallet, world.UnionA, 200);

        var verified = await world.UnionA.GetPaymentForHolderAsync(wallet.ProveHolding(request.Id)!, request.Id);
        Assert.Equal(HolderProofStatus.Valid, verified.Proof);
        Assert.Equal(ProviderPaymentStatus.Verified, verified.State!.Status);

        var (deposit, result) = await world.DepositAsync(world.UnionA, "d-h1");
        await world.UnionA.CompleteDepositAsync(deposit, result);
        var paid = await world.UnionA.GetPaymentForHolderAsync(wallet.ProveHolding(request.Id)!, request.Id);
        Assert.Equal(ProviderPaymentStatus.Paid, paid.State!.Status);
        Assert.True(wallet.AcceptSpendReceipt(paid.State.Receipt!, request, world.Registry));

        // Closed in the wallet: it no longer keeps the payment, so it has nothing to prove.
        Assert.Null(wallet.ProveHolding(request.Id));
    }

    [Fact]
    public async Task AnotherWalletAnotherProviderAReplayOrAStaleProofLearnNothing()
    {
        using var world = await WorldAsync();
        var payer = await world.FundedWalletAsync("worker-h2", world.General100);
        var stranger = await world.FundedWalletAsync("worker-h3", world.General100);
        var (paid, _) = await world.PayAsync(payer, world.UnionA, 100);
        var (theirs, _) = await world.PayAsync(stranger, world.UnionA, 100);

        // The stranger's own coins, presented for the payer's payment.
        var strangers = stranger.ProveHolding(theirs.Id, world.UnionA.Record.Id, HolderProofPurpose.SpendReceipt, [.. stranger.PaymentsInFlight.Single().Coins])!;
        var forged = HolderProof.Decode(strangers.Encode());
        Assert.Equal(HolderProofStatus.WrongPayment, (await world.UnionA.GetPaymentForHolderAsync(forged, paid.Id)).Proof);
        var renamed = stranger.ProveHolding(paid.Id, world.UnionA.Record.Id, HolderProofPurpose.SpendReceipt, [.. stranger.PaymentsInFlight.Single().Coins])!;
        var refused = await world.UnionA.GetPaymentForHolderAsync(renamed, paid.Id);
        Assert.Equal(HolderProofStatus.WrongCoins, refused.Proof);
        Assert.Null(refused.State);

        // The payer's proof addressed to another provider, made for another purpose, replayed, or late.
        var toB = payer.ProveHolding(paid.Id, world.UnionB.Record.Id, HolderProofPurpose.SpendReceipt, [.. payer.PaymentsInFlight.Single().Coins])!;
        Assert.Equal(HolderProofStatus.WrongProvider, (await world.UnionA.GetPaymentForHolderAsync(toB, paid.Id)).Proof);
        Assert.Equal(HolderProofStatus.WrongPurpose, (await world.UnionA.GetPaymentForHolderAsync(payer.ProveHolding(paid.Id, HolderProofPurpose.Refund)!, paid.Id)).Proof);
        var proof = payer.ProveHolding(paid.Id)!;
        Assert.Equal(HolderProofStatus.Valid, (await world.UnionA.GetPaymentForHolderAsync(proof, paid.Id)).Proof);
        Assert.Equal(HolderProofStatus.Replayed, (await world.UnionA.GetPaymentForHolderAsync(proof, paid.Id)).Proof);
        var late = payer.ProveHolding(paid.Id)!;
        world.Time.Advance(HolderProof.MaxClockSkew + TimeSpan.FromSeconds(1));
        Assert.Equal(HolderProofStatus.Stale, (await world.UnionA.GetPaymentForHolderAsync(late, paid.Id)).Proof);
        Assert.Equal(HolderProofStatus.Valid, (await world.UnionA.GetPaymentForHolderAsync(payer.ProveHolding(paid.Id)!, paid.Id)).Proof);
    }

    [Fact]
    public async Task AnOpenOrUnknownPaymentHasNoHolder()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-h4", world.General100);
        var (paid, _) = await world.PayAsync(wallet, world.UnionA, 100);
        var open = await world.UnionA.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        var coins = wallet.PaymentsInFlight.Single().Coins;

        var proof = wallet.ProveHolding(open.Id, world.UnionA.Record.Id, HolderProofPurpose.SpendReceipt, [.. coins])!;
        Assert.Equal(HolderProofStatus.UnknownPayment, (await world.UnionA.GetPaymentForHolderAsync(proof, open.Id)).Proof);
        Assert.Null(await world.UnionA.FindPaymentCoinsAsync(open.Id));
        Assert.Equal(coins.Order(), await world.UnionA.FindPaymentCoinsAsync(paid.Id));
    }

    [Fact]
    public async Task AnotherFlowChecksAHolderAgainstTheCoinsItKnowsInOneCall()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-h5", world.General100, world.General100);
        var (paid, _) = await world.PayAsync(wallet, world.UnionA, 200);
        var coins = wallet.PaymentsInFlight.Single().Coins;

        // A refund naming one of the two coins: the holder proves exactly that coin.
        var one = wallet.ProveHolding(paid.Id, world.UnionA.Record.Id, HolderProofPurpose.Refund, [coins[0]])!;
        Assert.Equal(HolderProofStatus.Valid, world.UnionA.VerifyHolder(one, HolderProofPurpose.Refund, paid.Id, [coins[0]]));
        Assert.Equal(HolderProofStatus.Replayed, world.UnionA.VerifyHolder(one, HolderProofPurpose.Refund, paid.Id, [coins[0]]));
        Assert.Equal(HolderProofStatus.Valid, await world.UnionA.VerifyHolderAsync(wallet.ProveHolding(paid.Id, HolderProofPurpose.Refund)!, HolderProofPurpose.Refund, paid.Id));
    }

    [Fact]
    public async Task AWalletProvesOnlyCoinsItHolds()
    {
        using var world = await WorldAsync();
        var wallet = await world.FundedWalletAsync("worker-h6", world.General100);
        var other = await world.FundedWalletAsync("worker-h7", world.General100);

        Assert.Null(wallet.ProveHolding(new Wallet.Storage.Testing.MessageSamples(3).Request().Id));
        Assert.Null(wallet.ProveHolding(new Wallet.Storage.Testing.MessageSamples(3).Request().Id, world.UnionA.Record.Id, HolderProofPurpose.Refund, [other.Coins[0].Coin.Id]));
        Assert.Throws<ArgumentException>(() => wallet.ProveHolding(new Wallet.Storage.Testing.MessageSamples(3).Request().Id, world.UnionA.Record.Id, HolderProofPurpose.Refund, []));
        Assert.Throws<ArgumentNullException>(() => wallet.ProveHolding(null!));
    }

    [Fact]
    public async Task ARestartedProviderFindsTheCoinsWhileThePaymentWaitsForItsDepositAndAfterItSettles()
    {
        using var world = await WorldAsync();
        var store = new InMemoryProviderStore();
        using var first = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store);
        var wallet = await world.FundedWalletAsync("worker-h8", world.General100);
        var request = await first.CreatePaymentRequestAsync(Amount.FromMinorUnits(100), "dues", TimeSpan.FromHours(1));
        Assert.Equal(PaymentVerification.Accepted, await first.VerifyPaymentAsync(request, wallet.PreparePayment(request, world.Registry).Spends, world.AllKeysets));
        var coins = wallet.PaymentsInFlight.Single().Coins;

        // Verified: the store's queue names the coins.
        using var second = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store);
        Assert.Equal(coins, await second.FindPaymentCoinsAsync(request.Id));

        // In the deposit in flight: the batch names them.
        using var third = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store);
        var deposit = (await third.CreateDepositAsync(new IdempotencyKey("d-h8")))!;
        using var fourth = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store);
        Assert.Equal(coins, await fourth.FindPaymentCoinsAsync(request.Id));

        // Settled: the instance that saw the coins still answers the holder, and so does a fresh one, from the coins the
        // store kept when the deposit settled (for refunds); a payment never paid to it stays unknown.
        await fourth.CompleteDepositAsync(deposit, await world.Client.DepositAsync(deposit));
        Assert.Equal(ProviderPaymentStatus.Paid, (await fourth.GetPaymentForHolderAsync(wallet.ProveHolding(request.Id)!, request.Id)).State!.Status);
        using var fifth = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store);
        Assert.Equal(coins, await fifth.FindPaymentCoinsAsync(request.Id));
        Assert.Equal(ProviderPaymentStatus.Paid, (await fifth.GetPaymentForHolderAsync(wallet.ProveHolding(request.Id, world.UnionA.Record.Id, HolderProofPurpose.SpendReceipt, [.. coins])!, request.Id)).State!.Status);
        Assert.Null(await fifth.FindPaymentCoinsAsync(new Wallet.Storage.Testing.MessageSamples(4).Request().Id));
    }

    [Fact]
    public void TheReplayMemoryForgetsOnlyProofsThatWouldBeStaleAndRefusesWhenFull()
    {
        using var key = Crypto.Signing.Ed25519SigningKey.Generate();
        var now = ProtocolWorld.Start;
        var payment = new Wallet.Storage.Testing.MessageSamples(4).Request().Id;
        HolderProof Proof(DateTimeOffset at) => HolderProof.Sign(HolderProofPurpose.SpendReceipt, new AccountId("p"), payment, at, [key]);
        var replays = new HolderProofReplays(1);
        var first = Proof(now);

        Assert.Equal(HolderProofStatus.Valid, replays.TryAccept(first, now));
        Assert.Equal(HolderProofStatus.Replayed, replays.TryAccept(first, now + HolderProof.MaxClockSkew));
        Assert.Equal(HolderProofStatus.Busy, replays.TryAccept(Proof(now), now + HolderProof.MaxClockSkew));
        Assert.Equal(HolderProofStatus.Valid, replays.TryAccept(Proof(now + HolderProof.MaxClockSkew), now + HolderProof.MaxClockSkew + TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public void TheCoinMemoryKeepsTheNewestPaymentsAndTheFirstAnswer()
    {
        var memory = new PaymentCoinMemory(1);
        var a = new Wallet.Storage.Testing.MessageSamples(5).Request().Id;
        var b = new Wallet.Storage.Testing.MessageSamples(6).Request().Id;
        var coin = new CoinId(new byte[32]);
        var other = new CoinId(Enumerable.Repeat((byte)1, 32).ToArray());

        memory.Remember(a, [coin]);
        memory.Remember(a, [other]);
        Assert.Equal([coin], memory.Find(a)!);
        memory.Remember(b, [other]);
        Assert.Null(memory.Find(a));
        Assert.Equal([other], memory.Find(b)!);
    }

    private static Task<ProtocolWorld> WorldAsync() => ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
}
