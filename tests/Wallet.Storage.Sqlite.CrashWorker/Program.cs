using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Storage.Sqlite.CrashWorker;

/// <summary>
/// Runs ledger operations against a SQLite file until killed. After each operation returns (that is, after
/// its commit) it prints <c>ack &lt;idempotency key&gt; &lt;status&gt;</c>, so the parent knows which results a
/// client would have seen. Usage: <c>CrashWorker &lt;database&gt; &lt;round&gt;</c>.
/// </summary>
public static class Program
{
    private const int BatchSize = 100;

    public static async Task<int> Main(string[] args)
    {
        if (args.Length != 2 || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int round))
        {
            await Console.Error.WriteLineAsync("usage: CrashWorker <database> <round>");
            return 2;
        }

        await using var store = await SqliteLedgerStore.OpenAsync(args[0]);
        var ledger = new SchemeLedger(store, TimeProvider.System);
        var worker = new AccountId($"worker-{round}");
        var previous = Array.Empty<SpentCoin>();
        Console.WriteLine("ready");

        // A safety net if the parent dies before killing us; the test kills far sooner.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        for (int i = 0; deadline.Elapsed < TimeSpan.FromMinutes(2); i++)
        {
            string prefix = $"r{round}-{i}";
            var keyset = Keyset(i % 3);
            await AckAsync($"{prefix}-c", ledger.ContributeAsync(Key($"{prefix}-c"), ContributionSource.Employer, worker, Amount.FromMinorUnits(BatchSize * 10)));
            await AckAsync($"{prefix}-w", ledger.WithdrawAsync(Key($"{prefix}-w"), worker, [.. Enumerable.Repeat(new KeysetAmount(keyset, Amount.FromMinorUnits(10)), BatchSize)]));

            var coins = Enumerable.Range(0, BatchSize).Select(j => new SpentCoin(Coin($"{prefix}-{j}"), keyset, Amount.FromMinorUnits(10))).ToArray();

            // Half the new coins, plus ten coins an earlier batch already deposited: a double spend in every batch after the first.
            var deposit = coins.Take(BatchSize / 2).Concat(previous.Take(10)).ToArray();
            await AckAsync($"{prefix}-d", ledger.DepositAsync(Key($"{prefix}-d"), new AccountId($"provider-{i % 4}"), deposit));
            await AckAsync($"{prefix}-s", ledger.SwapAsync(Key($"{prefix}-s"), coins[(BatchSize / 2)..(BatchSize / 2 + 10)], [new KeysetAmount(Keyset(3), Amount.FromMinorUnits(100))]));
            previous = coins;
        }

        return 0;
    }

    private static async Task AckAsync(string key, Task<LedgerResult> operation)
    {
        var result = await operation;
        Console.WriteLine($"ack {key} {result.Status}");
    }

    private static IdempotencyKey Key(string text) => new(text);

    private static KeysetId Keyset(int n) => new(SHA256.HashData(Encoding.ASCII.GetBytes($"crash-keyset-{n}")));

    private static CoinId Coin(string text) => new(SHA256.HashData(Encoding.ASCII.GetBytes($"crash-coin-{text}")));
}
