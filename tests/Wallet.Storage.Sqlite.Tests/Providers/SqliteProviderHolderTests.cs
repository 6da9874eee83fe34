using Wallet.Crypto.Merkle;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Providers;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Providers;

/// <summary>Holder proofs (docs/PROTOCOL.md 5.20) against a provider on a real SQLite file, reopened between steps.</summary>
public sealed class SqliteProviderHolderTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AReopenedProviderAnswersTheHolderFromItsFileBeforeAndAfterTheDepositSettles()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        string path = _database.File("desk.db");
        var payer = await world.FundedWalletAsync("worker-sh1", world.General100, world.General100);
        var stranger = await world.FundedWalletAsync("worker-sh2", world.General100, world.General100);
        PaymentRequest paid;
        using (var store = SqliteProviderStore.Open(path))
        using (var desk = Desk(world, store))
        {
            paid = (await world.PayAsync(payer, desk, 200)).Request;
        }

        // Reopened: the verified payment's coins come from the file; the payer is answered, a stranger is not, and a
        // refused proof leaves the payment queued.
        using (var store = SqliteProviderStore.Open(path))
        using (var desk = Desk(world, store))
        {
            var theirs = stranger.Coins.Select(c => c.Coin.Id).ToList();
            Assert.Equal(HolderProofStatus.WrongCoins, (await desk.GetPaymentForHolderAsync(stranger.ProveHolding(paid.Id, desk.Record.Id, HolderProofPurpose.SpendReceipt, theirs)!, paid.Id)).Proof);
            var answer = await desk.GetPaymentForHolderAsync(payer.ProveHolding(paid.Id)!, paid.Id);
            Assert.Equal((HolderProofStatus.Valid, ProviderPaymentStatus.Verified), (answer.Proof, answer.State!.Status));
            Assert.NotNull(await desk.CreateDepositAsync(new IdempotencyKey("day-1")));
        }

        // Reopened with the batch in flight: the batch names the coins; once it settles, the holder gets the receipt.
        var coins = payer.PaymentsInFlight.Single().Coins;
        using (var store = SqliteProviderStore.Open(path))
        using (var desk = Desk(world, store))
        {
            Assert.Equal(coins, await desk.FindPaymentCoinsAsync(paid.Id));
            var batch = (await desk.CreateDepositAsync(new IdempotencyKey("day-2")))!;
            await desk.CompleteDepositAsync(batch, await world.Client.DepositAsync(batch));
            var receipt = await desk.GetPaymentForHolderAsync(payer.ProveHolding(paid.Id)!, paid.Id);
            Assert.Equal(ProviderPaymentStatus.Paid, receipt.State!.Status);
            Assert.True(payer.AcceptSpendReceipt(receipt.State.Receipt!, paid, world.Registry));
        }

        // Reopened after the deposit settled: the coins the file kept for refunds still name the holder.
        using (var store = SqliteProviderStore.Open(path))
        using (var desk = Desk(world, store))
        {
            Assert.Equal(coins, await desk.FindPaymentCoinsAsync(paid.Id));
            var settled = await desk.GetPaymentForHolderAsync(payer.ProveHolding(paid.Id, desk.Record.Id, HolderProofPurpose.SpendReceipt, [.. coins])!, paid.Id);
            Assert.Equal((HolderProofStatus.Valid, ProviderPaymentStatus.Paid), (settled.Proof, settled.State!.Status));
        }
    }

    private static AccreditedProvider Desk(ProtocolWorld world, IProviderStore store) =>
        new(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store);
}
