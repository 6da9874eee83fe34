using Wallet.Crypto.Merkle;
using Wallet.Protocol;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Storage.Sqlite.Providers;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Providers;

/// <summary>A provider on a real SQLite file, closed and reopened between the steps of its flow: a restart loses no payment.</summary>
public sealed class SqliteProviderRestartTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task ProviderReopenedFromItsFilePaysEveryVerifiedPaymentExactlyOnce()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        string path = _database.File("till.db");
        var wallet = await world.FundedWalletAsync("worker-r1", world.General100, world.General100, world.General100);
        var payments = new List<Protocol.Payments.PaymentRequest>();
        using (var store = SqliteProviderStore.Open(path))
        using (var till = Till(world, store))
        {
            foreach (long amount in new[] { 100L, 200L })
            {
                payments.Add((await world.PayAsync(wallet, till, amount)).Request);
            }
        }

        // Restart 1: the verified payments are still queued; the batch goes in flight, and the provider stops before sending it.
        DepositRequest batch;
        using (var store = SqliteProviderStore.Open(path))
        using (var till = Till(world, store))
        {
            foreach (var payment in payments)
            {
                Assert.Equal(ProviderPaymentStatus.Verified, (await till.GetPaymentStatusAsync(payment.Id)).Status);
            }

            batch = (await till.CreateDepositAsync(new IdempotencyKey("day-1")))!;
            Assert.Equal(3, batch.Spends.Length);
        }

        // Restart 2: the same bytes under the same key, whatever key is offered now; the answer settles every payment once.
        using (var store = SqliteProviderStore.Open(path))
        using (var till = Till(world, store))
        {
            var again = (await till.CreateDepositAsync(new IdempotencyKey("day-2")))!;
            Assert.Equal(batch.Encode(), again.Encode());
            var result = await world.Client.DepositAsync(again);
            var receipts = await till.CompleteDepositAsync(again, result);
            Assert.Equal(payments.Select(p => p.Id).Order(), receipts.Select(r => r.Request.Id).Order());
            Assert.Empty(await till.CompleteDepositAsync(again, result));
        }

        // Restart 3: paid stays paid, with the receipt signed at the time; nothing is queued or in flight.
        using (var store = SqliteProviderStore.Open(path))
        using (var till = Till(world, store))
        {
            Assert.Null(await till.CreateDepositAsync(new IdempotencyKey("day-3")));
            foreach (var payment in payments)
            {
                var state = await till.GetPaymentStatusAsync(payment.Id);
                Assert.Equal(ProviderPaymentStatus.Paid, state.Status);
                Assert.True(state.Receipt!.Verify(payment, till.Record.ReceiptKey));
            }
        }

        Assert.Equal(300, await world.Scheme.GetProviderBalanceAsync(world.UnionA.Record.Id));
    }

    private static AccreditedProvider Till(ProtocolWorld world, IProviderStore store) =>
        new(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store);
}
