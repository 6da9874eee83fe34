using Microsoft.Data.Sqlite;
using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Payments;
using Wallet.Protocol.Registry;
using Wallet.Storage.Sqlite;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;

namespace PortableBenefits.Linkage.Observations;

/// <summary>
/// Reads a pilot's data directory the way the scheme's operator could: the ledger's journal, the first spend of every
/// deposited coin (which carries its payment request), and the log entries the scheme keeps. Only the library's read
/// APIs are used, on copies of the files (opening a store may create or migrate tables, and the pilot's files are
/// evidence): <see cref="SqliteLedgerStore"/> streams the journal, <see cref="SqliteSchemeStore"/> answers
/// <c>GetSpendAsync</c>, <c>ListKeysetsAsync</c> and <c>GetLogEntryAsync</c>, and <see cref="SqliteMerkleLogStore"/>
/// gives the log's size. No table is read directly.
/// </summary>
internal static class SchemeObservationsLoader
{

    public static async Task<SchemeObservations> LoadAsync(string dataDirectory, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        // A pilot directory holds the scheme database, or the three files of earlier releases (imported on reading).
        string[] files = File.Exists(Path.Combine(dataDirectory, SqliteSchemeDatabase.DefaultFileName))
            ? [SqliteSchemeDatabase.DefaultFileName]
            : [.. SqliteSchemeDatabase.SeparateFileNames];
        foreach (string name in files)
        {
            if (!File.Exists(Path.Combine(dataDirectory, name)))
            {
                throw new FileNotFoundException($"{name} is missing from {dataDirectory}: the attack reads a pilot's SQLite files (a pilot run with --postgres keeps its state elsewhere).", Path.Combine(dataDirectory, name));
            }
        }

        string copy = Directory.CreateTempSubdirectory("walletcore-linkage-").FullName;
        try
        {
            foreach (string name in files)
            {
                foreach (string suffix in new[] { "", "-wal", "-shm" })
                {
                    string source = Path.Combine(dataDirectory, name + suffix);
                    if (File.Exists(source))
                    {
                        File.Copy(source, Path.Combine(copy, name + suffix));
                    }
                }
            }

            return await ReadAsync(copy, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            Directory.Delete(copy, recursive: true);
        }
    }

    private static async Task<SchemeObservations> ReadAsync(string directory, CancellationToken cancellationToken)
    {
        await using var database = await SqliteSchemeDatabase.OpenDirectoryAsync(directory, cancellationToken).ConfigureAwait(false);
        var (ledger, scheme, log) = (database.Ledger, database.Scheme, database.Log);

        var keysets = (await scheme.ListKeysetsAsync(cancellationToken).ConfigureAwait(false))
            .Select(k => k.Announcement.Descriptor)
            .ToDictionary(d => d.Id);
        var (batchOrder, tables) = await ReadLogAsync(scheme, log, cancellationToken).ConfigureAwait(false);

        var withdrawals = new List<ObservedWithdrawal>();
        var swaps = new List<ObservedSwap>();
        var payments = new List<ObservedPayment>();
        await using var read = await ledger.BeginReadAsync(cancellationToken).ConfigureAwait(false);
        await foreach (var entry in read.ReadJournalAsync(1, cancellationToken).ConfigureAwait(false))
        {
            switch (entry.Kind)
            {
                case EntryKind.Withdrawal when entry.Postings.FirstOrDefault(p => p.Account.Kind == LedgerAccountKind.Worker) is { } debit:
                    withdrawals.Add(new ObservedWithdrawal(entry.Sequence, new AccountId(debit.Account.Key), entry.Timestamp, Issued(entry, keysets)));
                    break;
                case EntryKind.Swap:
                    swaps.Add(new ObservedSwap(entry.Timestamp, Coins(entry), Issued(entry, keysets)));
                    break;
                case EntryKind.Deposit:
                    payments.AddRange(await PaymentsAsync(entry, scheme, batchOrder, cancellationToken).ConfigureAwait(false));
                    break;
            }
        }

        return new SchemeObservations(keysets, withdrawals, payments, swaps, tables);
    }

    // The log as the scheme keeps it: each deposit's coins in the order it logged them (coin -> position among the
    // record's coins, and the record's size), and the default-allocation tables.
    private static async Task<(Dictionary<CoinId, (int Record, int Position)> Order, List<(DateTimeOffset, DefaultAllocationTable)> Tables)> ReadLogAsync(
        SqliteSchemeStore scheme, SqliteMerkleLogStore log, CancellationToken cancellationToken)
    {
        var order = new Dictionary<CoinId, (int, int)>();
        var tables = new List<(DateTimeOffset, DefaultAllocationTable)>();
        ulong size = await log.GetLeafCountAsync(cancellationToken).ConfigureAwait(false);
        for (ulong index = 0; index < size; index++)
        {
            var entry = await scheme.GetLogEntryAsync(index, cancellationToken).ConfigureAwait(false);
            if (entry?.SpentCoins is { } spent)
            {
                for (int i = 0; i < spent.Coins.Length; i++)
                {
                    order.TryAdd(spent.Coins[i].Id, ((int)index, i));
                }
            }
            else if (entry?.AllocationTable is { } table)
            {
                tables.Add((table.IssuedAt, table));
            }
        }

        return (order, tables);
    }

    // One deposit entry's payments: each coin's first spend names its payment request; a payment's position in the batch
    // is its rank when the batch's payments are ordered by where their first coin stands in the log (coin-id order when
    // the batch was not logged).
    private static async Task<List<ObservedPayment>> PaymentsAsync(JournalEntry entry, SqliteSchemeStore scheme, Dictionary<CoinId, (int Record, int Position)> logOrder, CancellationToken cancellationToken)
    {
        var requests = new Dictionary<PaymentId, (PaymentRequest Request, List<ObservedCoin> Coins, int First)>();
        for (int i = 0; i < entry.SpentCoins.Count; i++)
        {
            var coin = entry.SpentCoins[i];
            if (await scheme.GetSpendAsync(coin.Coin, cancellationToken).ConfigureAwait(false) is not { } spend)
            {
                continue;
            }

            int position = logOrder.TryGetValue(coin.Coin, out var logged) ? logged.Position : i;
            if (!requests.TryGetValue(spend.Request.Id, out var payment))
            {
                payment = (spend.Request, [], position);
            }

            payment.Coins.Add(new ObservedCoin(coin.Coin, coin.Keyset));
            requests[spend.Request.Id] = payment with { First = Math.Min(payment.First, position) };
        }

        var ranked = requests.Values.OrderBy(p => p.First).ToList();
        return [.. ranked.Select((p, rank) => new ObservedPayment(
            p.Request.Id,
            p.Request.Provider,
            p.Request.Amount,
            p.Request.IssuedOn,
            entry.Timestamp,
            p.Coins,
            ranked.Count == 1 ? (double?)null : rank / (double)(ranked.Count - 1)))];
    }

    private static List<ObservedCoin> Coins(JournalEntry entry) => [.. entry.SpentCoins.Select(c => new ObservedCoin(c.Coin, c.Keyset))];

    private static Dictionary<KeysetId, int> Issued(JournalEntry entry, IReadOnlyDictionary<KeysetId, KeysetDescriptor> keysets) =>
        entry.KeysetEffects
            .Where(e => e.Issued.MinorUnits > 0 && keysets.ContainsKey(e.Keyset))
            .ToDictionary(e => e.Keyset, e => (int)(e.Issued.MinorUnits / keysets[e.Keyset].Denomination.MinorUnits));
}
