using System.Security.Cryptography;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Coins;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Providers;
using Wallet.Storage.Sqlite.Providers;

namespace Wallet.Storage.Sqlite.CrashWorker;

/// <summary>
/// Drives a SQLite provider store until killed: opens a request, verifies it, and every fourth payment puts a deposit
/// in flight and settles it (paid and rejected alternately). It prints <c>ack open|verified &lt;payment&gt;</c>,
/// <c>ack inflight &lt;key&gt; &lt;sha256 of the bytes&gt; &lt;its payments, comma-separated&gt;</c> and <c>ack paid|rejected &lt;payment&gt;</c> after each
/// write returns, so the parent knows what a provider would have relied on. A deposit found in flight at start is
/// settled first, as a restarted provider would after re-sending it.
/// </summary>
internal static class ProviderWork
{
    private static readonly CancellationToken None = CancellationToken.None;

    public static async Task<int> RunAsync(string database)
    {
        using var store = SqliteProviderStore.Open(database);
        using var key = Ed25519SigningKey.Generate();
        var provider = new AccountId("crash-provider");
        Console.WriteLine("ready");
        if (await store.GetInFlightDepositAsync(None) is { } resumed)
        {
            Console.WriteLine($"ack resumed {resumed.IdempotencyKey} {Hash(resumed)} {Payments(resumed)}");
            await SettleAsync(store, resumed, key);
        }

        var deadline = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; deadline.Elapsed < TimeSpan.FromMinutes(2); i++)
        {
            var now = DateTimeOffset.UtcNow;
            var request = PaymentRequest.Sign(provider, Amount.FromMinorUnits(100), "crash", RandomNumberGenerator.GetBytes(PaymentRequest.NonceLength), now, now.AddHours(1), key);
            await store.AddOpenRequestAsync(request, None);
            Console.WriteLine($"ack open {request.Id}");
            await store.MarkVerifiedAsync(request, [Spend(request), Spend(request)], None);
            Console.WriteLine($"ack verified {request.Id}");
            if (i % 4 == 3)
            {
                var spends = (await store.ListVerifiedAsync(4, None)).SelectMany(p => p.Spends).ToList();
                var deposit = await store.BeginDepositAsync(new DepositRequest(provider, new IdempotencyKey($"d-{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}"), spends), None);
                Console.WriteLine($"ack inflight {deposit.IdempotencyKey} {Hash(deposit)} {Payments(deposit)}");
                await SettleAsync(store, deposit, key);
            }
        }

        return 0;
    }

    private static async Task SettleAsync(SqliteProviderStore store, DepositRequest deposit, Ed25519SigningKey key)
    {
        var requests = deposit.Spends.Select(s => s.Request).DistinctBy(r => r.Id).ToList();
        var outcomes = requests.Select((r, n) => n % 2 == 0
            ? ProviderPaymentState.Paid(r.Id, SpendReceipt.Sign(r, DateTimeOffset.UtcNow, key))
            : ProviderPaymentState.Rejected(new DepositPaymentOutcome(r.Id, DepositPaymentStatus.DoubleSpend, null, [new DoubleSpendProof(Spend(r), Spend(r))]))).ToList();
        foreach (var recorded in await store.SettleDepositAsync(deposit.IdempotencyKey, outcomes, None))
        {
            Console.WriteLine($"ack {recorded.Status.ToString().ToLowerInvariant()} {recorded.Payment}");
        }

        Console.WriteLine($"ack cleared {deposit.IdempotencyKey}");
    }

    private static CoinSpend Spend(PaymentRequest request)
    {
        using var coinKey = Ed25519SigningKey.Generate();
        var coin = new Coin(new KeysetId(SHA256.HashData("crash-keyset"u8)), new CoinId(coinKey.PublicKey.AsSpan()), RandomNumberGenerator.GetBytes(256));
        return CoinSpend.Sign(coin, request, coinKey);
    }

    private static string Hash(DepositRequest deposit) => Convert.ToHexStringLower(SHA256.HashData(deposit.Encode()));

    private static string Payments(DepositRequest deposit) => string.Join(',', deposit.Spends.Select(s => s.Request.Id.ToString()).Distinct());
}
