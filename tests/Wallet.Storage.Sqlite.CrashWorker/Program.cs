using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.CrashWorker;

/// <summary>
/// Runs ledger operations against a SQLite file until killed. Before each operation it prints
/// <c>begin &lt;idempotency key&gt;</c>; after it returns (that is, after its commit) it prints
/// <c>ack &lt;idempotency key&gt; &lt;status&gt;</c>, so the parent knows which results a client would have seen
/// and which request was in flight.
/// </summary>
/// <remarks>
/// Usage: <c>CrashWorker &lt;database&gt; &lt;round&gt;</c> runs until killed; <c>CrashWorker &lt;database&gt;
/// &lt;round&gt; --retry &lt;key&gt;</c> repeats the one operation with that key (as a client retrying after a
/// lost response would) and prints <c>ack &lt;key&gt; &lt;status&gt; &lt;replay&gt;</c>. The environment variables
/// <see cref="CrashPoint.StepVariable"/> and <see cref="CrashPoint.CountVariable"/> make the worker kill itself
/// with SIGKILL at a named step of its n-th write, instead of waiting for the parent's random kill.
/// <c>CrashWorker provider &lt;database&gt;</c> drives a provider store instead (<see cref="ProviderWork"/>), and
/// <c>CrashWorker payroll &lt;database&gt; &lt;batches&gt;</c> payroll batches (<see cref="PayrollWork"/>).
/// </remarks>
public static class Program
{
    private const int BatchSize = 100;

    public static async Task<int> Main(string[] args)
    {
        // "provider <database>": the provider store's crash run (ProviderWork) instead of the ledger's.
        if (args is ["provider", var providerDatabase])
        {
            return await ProviderWork.RunAsync(providerDatabase);
        }

        // "payroll <database> <batches> [--retry <batch>]": payroll batches, each one write transaction (PayrollWork).
        if (args is ["payroll", var payrollDatabase, var batches, ..] && int.TryParse(batches, NumberStyles.None, CultureInfo.InvariantCulture, out int count))
        {
            int? retry = args is [.., "--retry", var only] ? int.Parse(only, CultureInfo.InvariantCulture) : null;
            return await PayrollWork.RunAsync(payrollDatabase, count, retry);
        }

        if (args.Length is not (2 or 4) || !int.TryParse(args[1], NumberStyles.None, CultureInfo.InvariantCulture, out int round)
            || (args.Length == 4 && args[2] != "--retry"))
        {
            await Console.Error.WriteLineAsync("usage: CrashWorker <database> <round> [--retry <key>]");
            return 2;
        }

        var crash = CrashPoint.FromEnvironment();
        await using var sqlite = await SqliteLedgerStore.OpenAsync(args[0]);
        var ledger = new SchemeLedger(new FaultInjectingLedgerStore(sqlite) { OnStep = crash.At }, TimeProvider.System);
        if (args.Length == 4)
        {
            var (key, operation) = Operations(round).First(o => o.Key == args[3]);
            var result = await operation(ledger);
            Console.WriteLine($"ack {key} {result.Status} {result.IsReplay}");
            return 0;
        }

        Console.WriteLine("ready");

        // A safety net if the parent dies before killing us; the test kills far sooner.
        var deadline = System.Diagnostics.Stopwatch.StartNew();
        foreach (var (key, operation) in Operations(round))
        {
            if (deadline.Elapsed > TimeSpan.FromMinutes(2))
            {
                break;
            }

            Console.WriteLine($"begin {key}");
            crash.BeforeOperation();
            var result = await operation(ledger);
            Console.WriteLine($"ack {key} {result.Status}");
        }

        return 0;
    }

    /// <summary>The round's operations in order, each rebuilt the same way from its key so a retry sends the identical request.</summary>
    private static IEnumerable<(string Key, Func<SchemeLedger, Task<LedgerResult>> Run)> Operations(int round)
    {
        var worker = new AccountId($"worker-{round}");
        for (int i = 0; ; i++)
        {
            string prefix = $"r{round}-{i}";
            var keyset = Keyset(i % 3);
            var coins = Coins(prefix, keyset);
            var previous = i == 0 ? [] : Coins($"r{round}-{i - 1}", Keyset((i - 1) % 3));
            int provider = i % 4;

            yield return ($"{prefix}-c", l => l.ContributeAsync(Key($"{prefix}-c"), ContributionSource.Employer, worker, Amount.FromMinorUnits(BatchSize * 10)));
            yield return ($"{prefix}-w", l => l.WithdrawAsync(Key($"{prefix}-w"), worker, [.. Enumerable.Repeat(new KeysetAmount(keyset, Amount.FromMinorUnits(10)), BatchSize)]));

            // Half the new coins, plus ten coins an earlier batch already deposited: a double spend in every batch after the first.
            var deposit = coins.Take(BatchSize / 2).Concat(previous.Take(10)).ToArray();
            yield return ($"{prefix}-d", l => l.DepositAsync(Key($"{prefix}-d"), new AccountId($"provider-{provider}"), deposit));
            yield return ($"{prefix}-s", l => l.SwapAsync(Key($"{prefix}-s"), coins[(BatchSize / 2)..(BatchSize / 2 + 10)], [new KeysetAmount(Keyset(3), Amount.FromMinorUnits(100))]));
        }
    }

    private static SpentCoin[] Coins(string prefix, KeysetId keyset) =>
        [.. Enumerable.Range(0, BatchSize).Select(j => new SpentCoin(Coin($"{prefix}-{j}"), keyset, Amount.FromMinorUnits(10)))];

    private static IdempotencyKey Key(string text) => new(text);

    private static KeysetId Keyset(int n) => new(SHA256.HashData(Encoding.ASCII.GetBytes($"crash-keyset-{n}")));

    private static CoinId Coin(string text) => new(SHA256.HashData(Encoding.ASCII.GetBytes($"crash-coin-{text}")));
}
