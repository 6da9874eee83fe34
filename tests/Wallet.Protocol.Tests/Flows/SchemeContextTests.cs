using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.Flows;

/// <summary>The shared scheme context: how scheme idempotency keys map into the ledger, and exactly-once log appends (docs/PROTOCOL.md 5.6).</summary>
public sealed class SchemeContextTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void SameKeyUnderTwoScopesGivesTwoLedgerKeys()
    {
        var key = new IdempotencyKey("withdrawal-1");

        var first = SchemeContext.LedgerKey("withdraw", "worker-1", key);
        var second = SchemeContext.LedgerKey("withdraw", "worker-2", key);

        Assert.NotEqual(first, second);
    }

    [Fact]
    public void SameKeyAndScopeUnderTwoKindsGivesTwoLedgerKeys()
    {
        var key = new IdempotencyKey("request-1");

        Assert.NotEqual(SchemeContext.LedgerKey("withdraw", "worker-1", key), SchemeContext.LedgerKey("swap", "worker-1", key));
    }

    [Fact]
    public void SameInputsGiveTheSameLedgerKey()
    {
        var first = SchemeContext.LedgerKey("deposit", "union-a", new IdempotencyKey("d1"));
        var second = SchemeContext.LedgerKey("deposit", "union-a", new IdempotencyKey("d1"));

        Assert.Equal(first, second);
        Assert.StartsWith("deposit-", first.Value, StringComparison.Ordinal);
    }

    [Fact]
    public void LongestSchemeKeyStillMapsToAValidLedgerKey()
    {
        var longest = new IdempotencyKey(new string('k', IdempotencyKey.MaxLength));

        var mapped = SchemeContext.LedgerKey("withdraw", new string('s', 64), longest);

        Assert.True(mapped.Value.Length <= IdempotencyKey.MaxLength);
        Assert.DoesNotContain(longest.Value, mapped.Value, StringComparison.Ordinal);
    }

    [Fact]
    public async Task OperationAppendedTwiceIsLoggedOnceAtTheSameIndex()
    {
        using var keys = new Keys();
        var context = keys.Context(new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        await context.AppendLogOnceAsync("earlier", Entry(1), CancellationToken.None);

        var first = await context.AppendLogOnceAsync("expire-k2", Entry(2), CancellationToken.None);
        var again = await context.AppendLogOnceAsync("expire-k2", Entry(2), CancellationToken.None);

        Assert.Equal(1UL, first.Index);
        Assert.Equal(first.Index, again.Index);
        Assert.Equal(2UL, await context.Log.GetSizeAsync());
    }

    [Fact]
    public async Task RetryReturnsTheEntryLoggedThenNotTheOneItPasses()
    {
        using var keys = new Keys();
        var context = keys.Context(new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        var logged = Entry(1);
        await context.AppendLogOnceAsync("expire", logged, CancellationToken.None);

        // A retry rebuilds its entry (with a later clock, say); the log must keep and return the first one.
        var retried = await context.AppendLogOnceAsync("expire", Entry(1, value: 99), CancellationToken.None);

        Assert.Equal(0UL, retried.Index);
        Assert.Equal(logged.Encode(), retried.Entry.Encode());
        Assert.Equal(1UL, await context.Log.GetSizeAsync());
    }

    [Fact]
    public async Task DifferentOperationsAreLoggedAtSuccessiveIndices()
    {
        using var keys = new Keys();
        var context = keys.Context(new InMemorySchemeStore(), new InMemoryMerkleLogStore());

        var a = await context.AppendLogOnceAsync("op-a", Entry(1), CancellationToken.None);
        var b = await context.AppendLogOnceAsync("op-b", Entry(1), CancellationToken.None);

        Assert.Equal(0UL, a.Index);
        Assert.Equal(1UL, b.Index);
        Assert.Equal(2UL, await context.Log.GetSizeAsync());
    }

    [Fact]
    public async Task OperationStoredAtTheTreeSizeButNeverAppendedIsAppendedOnRetry()
    {
        using var keys = new Keys();
        var records = new InMemorySchemeStore();
        var context = keys.Context(records, new InMemoryMerkleLogStore());
        var entry = Entry(3);

        // What a crash between storing the entry's bytes and appending its leaf leaves behind.
        await records.PutLogEntryAsync(0, entry, "expire-k3", CancellationToken.None);
        Assert.Equal(0UL, await context.Log.GetSizeAsync());

        var retried = await context.AppendLogOnceAsync("expire-k3", entry, CancellationToken.None);

        Assert.Equal(0UL, retried.Index);
        Assert.Equal(1UL, await context.Log.GetSizeAsync());
        Assert.Equal(entry.LeafHash(), await context.Log.GetRootAsync(1));
    }

    [Fact]
    public async Task OperationWhoseStoredIndexWasTakenByAnotherIsLoggedAfresh()
    {
        using var keys = new Keys();
        var records = new InMemorySchemeStore();
        var context = keys.Context(records, new InMemoryMerkleLogStore());
        await records.PutLogEntryAsync(0, Entry(1), "interrupted", CancellationToken.None);

        var other = await context.AppendLogOnceAsync("other", Entry(2), CancellationToken.None);
        var retried = await context.AppendLogOnceAsync("interrupted", Entry(1), CancellationToken.None);

        Assert.Equal(0UL, other.Index);
        Assert.Equal(1UL, retried.Index);
        Assert.Equal(Entry(2).Encode(), (await records.GetLogEntryAsync(0, CancellationToken.None))!.Encode());
        Assert.Equal(Entry(1).Encode(), (await records.GetLogEntryAsync(1, CancellationToken.None))!.Encode());
    }

    [Fact]
    public async Task FreshLedgerEntryIsLoggedWithoutLookingForAnEarlierRecord()
    {
        // Idempotency checked once: a ledger entry made by this call means no earlier attempt got as far as logging.
        using var keys = new Keys();
        var records = new CountingLogRecords(new InMemorySchemeStore());
        var context = keys.Context(records, new InMemoryMerkleLogStore());
        var key = new IdempotencyKey("c-1");
        var fresh = await context.Ledger.ContributeAsync(key, ContributionSource.Employer, new AccountId("worker-1"), Amount.FromMinorUnits(10));
        Assert.False(fresh.IsReplay);

        var logged = await context.AppendLedgerLogAsync(key, fresh, Entry(1), CancellationToken.None);

        Assert.Equal(0, records.Lookups);
        Assert.Equal(0UL, logged.Index);
        Assert.Equal(1UL, await context.Log.GetSizeAsync());
    }

    [Fact]
    public async Task ReplayedLedgerEntryFindsItsLogRecordAndIsNotLoggedTwice()
    {
        // A retry after a crash between the ledger entry and the answer: the ledger replays, and the log already holds it.
        using var keys = new Keys();
        var records = new CountingLogRecords(new InMemorySchemeStore());
        var context = keys.Context(records, new InMemoryMerkleLogStore());
        var key = new IdempotencyKey("c-1");
        var worker = new AccountId("worker-1");
        var fresh = await context.Ledger.ContributeAsync(key, ContributionSource.Employer, worker, Amount.FromMinorUnits(10));
        var first = await context.AppendLedgerLogAsync(key, fresh, Entry(1), CancellationToken.None);
        var replay = await context.Ledger.ContributeAsync(key, ContributionSource.Employer, worker, Amount.FromMinorUnits(10));
        Assert.True(replay.IsReplay);

        var again = await context.AppendLedgerLogAsync(key, replay, Entry(1, value: 99), CancellationToken.None);

        Assert.Equal(1, records.Lookups);
        Assert.Equal(first.Index, again.Index);
        Assert.Equal(Entry(1).Encode(), again.Entry.Encode());
        Assert.Equal(1UL, await context.Log.GetSizeAsync());
    }

    private static LogEntry Entry(byte keyset, long value = 5)
    {
        byte[] id = new byte[KeysetId.Length];
        id.AsSpan().Fill(keyset);
        return LogEntry.ForExpiry(new ExpiryRecord(new KeysetId(id), Start, Amount.FromMinorUnits(value)));
    }

    // Counts the lookups of an operation's log record.
    private sealed class CountingLogRecords(ILogRecordStore inner) : ILogRecordStore
    {
        public int Lookups { get; private set; }

        public ValueTask PutLogEntryAsync(ulong index, LogEntry entry, string operation, CancellationToken cancellationToken) =>
            inner.PutLogEntryAsync(index, entry, operation, cancellationToken);

        public ValueTask<ulong?> FindLogIndexAsync(string operation, CancellationToken cancellationToken)
        {
            Lookups++;
            return inner.FindLogIndexAsync(operation, cancellationToken);
        }

        public ValueTask<LogEntry?> GetLogEntryAsync(ulong index, CancellationToken cancellationToken) => inner.GetLogEntryAsync(index, cancellationToken);
    }

    private sealed class Keys : IDisposable
    {
        private readonly FakeTimeProvider _time = new(Start);

        public Ed25519SigningKey Scheme { get; } = Ed25519SigningKey.Generate();

        public Ed25519SigningKey Accreditation { get; } = Ed25519SigningKey.Generate();

        public SchemeContext Context(ILogRecordStore records, IMerkleLogStore log) =>
            new(Scheme, Accreditation.PublicKey, new SchemeLedger(new InMemoryLedgerStore(), _time), records, log, _time);

        public void Dispose()
        {
            Scheme.Dispose();
            Accreditation.Dispose();
        }
    }
}
