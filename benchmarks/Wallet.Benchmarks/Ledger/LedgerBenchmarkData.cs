using System.Buffers.Binary;
using Microsoft.Data.Sqlite;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Storage.Sqlite.Ledger;

namespace Wallet.Benchmarks.Ledger;

/// <summary>Fixed inputs and set-up shared by the ledger quick suite and the BenchmarkDotNet classes.</summary>
public static class LedgerBenchmarkData
{
    public static readonly KeysetId Keyset = new(new byte[32]);

    public static readonly AccountId Worker = new("bench-worker");

    public static readonly AccountId Provider = new("bench-provider");

    /// <summary>A distinct coin id per number (not secret, so a counter in the first bytes suffices).</summary>
    public static CoinId Coin(long n)
    {
        Span<byte> bytes = stackalloc byte[32];
        BinaryPrimitives.WriteInt64BigEndian(bytes, n);
        bytes[31] = 0xC0;
        return new CoinId(bytes);
    }

    public static SpentCoin[] Batch(long first, int size)
    {
        var coins = new SpentCoin[size];
        for (int i = 0; i < size; i++)
        {
            coins[i] = new SpentCoin(Coin(first + i), Keyset, Amount.FromMinorUnits(1));
        }

        return coins;
    }

    /// <summary>Funds the worker and issues <paramref name="value"/> as outstanding coins, so deposits of 1-penny coins succeed.</summary>
    public static async Task FundAsync(SchemeLedger ledger, long value)
    {
        await ledger.ContributeAsync(new IdempotencyKey("fund-c"), ContributionSource.Employer, Worker, Amount.FromMinorUnits(value * 2));
        await ledger.WithdrawAsync(new IdempotencyKey("fund-w"), Worker, [new KeysetAmount(Keyset, Amount.FromMinorUnits(value))]);
    }

    /// <summary>
    /// Appends <paramref name="entries"/> contribution entries spread over 1,000 workers, many per transaction
    /// (set-up speed only; the ledger itself writes one entry per transaction).
    /// </summary>
    public static async Task FillJournalAsync(SqliteLedgerStore store, int entries, TimeProvider time)
    {
        const int PerTransaction = 5_000;
        var source = LedgerAccount.Contribution(ContributionSource.Levy);
        for (int done = 0; done < entries;)
        {
            await using var tx = await store.BeginWriteAsync(CancellationToken.None);
            var head = await tx.GetHeadAsync(CancellationToken.None);
            int n = Math.Min(PerTransaction, entries - done);
            for (int i = 0; i < n; i++, done++)
            {
                var entry = JournalEntry.Create(
                    head.Sequence + 1,
                    EntryKind.Contribution,
                    new IdempotencyKey($"fill-{done}"),
                    time.GetUtcNow(),
                    head.Hash,
                    [new Posting(source, -(1 + (done % 97))), new Posting(LedgerAccount.Worker(new AccountId($"w{done % 1000}")), 1 + (done % 97))],
                    [],
                    []);
                await tx.AppendAsync(entry, CancellationToken.None);

                // Each entry has its outcome, as the ledger writes it, so VerifyAsync finds the journal consistent.
                await tx.RecordOutcomeAsync(new IdempotencyRecord(entry.IdempotencyKey, new byte[32], LedgerStatus.Applied, entry.Sequence, []), CancellationToken.None);
                head = new JournalHead(entry.Sequence, entry.Hash);
            }

            await tx.CommitAsync(CancellationToken.None);
        }
    }

    /// <summary>
    /// The reference for deposits: bare prepared INSERTs of the same coin ids into a table shaped like the
    /// ledger's spent-coin table, same unique index, same transaction size, same WAL + synchronous=FULL.
    /// </summary>
    public sealed class BareInserter : IDisposable
    {
        private readonly SqliteConnection _connection;
        private readonly SqliteCommand _insert;
        private readonly SqliteParameter _coin;
        private readonly SqliteParameter _keyset;
        private readonly SqliteParameter _amount;
        private readonly SqliteParameter _sequence;
        private long _batches;

        public BareInserter(string path)
        {
            _connection = new SqliteConnection($"Data Source={path};Pooling=False");
            _connection.Open();
            Execute("PRAGMA journal_mode=WAL");
            Execute("PRAGMA synchronous=FULL");
            Execute("CREATE TABLE IF NOT EXISTS spent_coins (coin_id BLOB NOT NULL, keyset_id BLOB NOT NULL, amount INTEGER NOT NULL, entry_seq INTEGER NOT NULL)");
            Execute("CREATE UNIQUE INDEX IF NOT EXISTS spent_coins_coin_id ON spent_coins (coin_id)");
            _insert = _connection.CreateCommand();
            _insert.CommandText = "INSERT INTO spent_coins (coin_id, keyset_id, amount, entry_seq) VALUES ($coin, $keyset, $amount, $seq)";
            _coin = _insert.Parameters.Add("$coin", SqliteType.Blob);
            _keyset = _insert.Parameters.Add("$keyset", SqliteType.Blob);
            _amount = _insert.Parameters.Add("$amount", SqliteType.Integer);
            _sequence = _insert.Parameters.Add("$seq", SqliteType.Integer);
            _insert.Prepare();
        }

        public void InsertBatch(SpentCoin[] coins)
        {
            using var transaction = _connection.BeginTransaction(deferred: false);
            _insert.Transaction = transaction;
            _sequence.Value = ++_batches;
            foreach (var coin in coins)
            {
                _coin.Value = coin.Coin.Bytes.ToArray();
                _keyset.Value = coin.Keyset.Bytes.ToArray();
                _amount.Value = coin.Value.MinorUnits;
                _insert.ExecuteNonQuery();
            }

            transaction.Commit();
        }

        public void Dispose()
        {
            _insert.Dispose();
            _connection.Dispose();
        }

        private void Execute(string sql)
        {
            using var command = _connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }
    }
}
