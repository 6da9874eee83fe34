using Microsoft.Extensions.Time.Testing;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Signing;
using Wallet.Protocol.Flows;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Registry;
using Wallet.Protocol.Schemes;

namespace Wallet.Protocol.Tests.Flows;

/// <summary>
/// The scheme's write lock as a seam: the in-process default excludes and costs nothing when free, a scheme takes a
/// supplied lock, and a log append stops with a typed error when the lock is lost or did not exclude another writer.
/// </summary>
public sealed class SchemeWriteLockTests
{
    private static readonly DateTimeOffset Start = new(2026, 1, 5, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task FreeInProcessLockIsTakenSynchronouslyAndASecondHolderWaitsForTheRelease()
    {
        using var writeLock = new InProcessSchemeWriteLock();

        var first = writeLock.EnterAsync(CancellationToken.None);
        Assert.True(first.IsCompletedSuccessfully);
        var second = writeLock.EnterAsync(CancellationToken.None).AsTask();
        await Task.Delay(50);
        Assert.False(second.IsCompleted);

        await (await first).DisposeAsync();
        await (await second.WaitAsync(TimeSpan.FromSeconds(10))).DisposeAsync();
        Assert.True(writeLock.EnterAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task CancelledWaitDoesNotTakeTheInProcessLock()
    {
        using var writeLock = new InProcessSchemeWriteLock();
        var held = await writeLock.EnterAsync(CancellationToken.None);
        using var cancel = new CancellationTokenSource(TimeSpan.FromMilliseconds(50));

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => writeLock.EnterAsync(cancel.Token).AsTask());
        await held.DisposeAsync();

        Assert.True(writeLock.EnterAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task InProcessLockIsNeverLost()
    {
        using var writeLock = new InProcessSchemeWriteLock();
        await using var held = await writeLock.EnterAsync(CancellationToken.None);

        Assert.True(writeLock.EnsureHeldAsync(CancellationToken.None).IsCompletedSuccessfully);
    }

    [Fact]
    public async Task LostLockStopsALogAppendBeforeAnythingIsStored()
    {
        using var keys = new Keys();
        var records = new InMemorySchemeStore();
        var context = keys.Context(records, new InMemoryMerkleLogStore());
        context.WriteLock = new LostLock();

        await Assert.ThrowsAsync<SchemeWriteLockLostException>(() => context.AppendLogOnceAsync("op", Entry(1), CancellationToken.None));

        Assert.Equal(0UL, await context.Log.GetSizeAsync());
        Assert.Null(await records.GetLogEntryAsync(0, CancellationToken.None));
        Assert.False(context.IsSoleWriter);
    }

    [Fact]
    public async Task LogThatGrewUnderTheLockStopsTheAppendWithATypedError()
    {
        using var keys = new Keys();
        // Another writer, outside this lock, appends just before this context's first append commits.
        var context = keys.Context(new InMemorySchemeStore(), new IntrudedLogStore(new InMemoryMerkleLogStore()));

        var error = await Assert.ThrowsAsync<SchemeWriteLockLostException>(() => context.AppendLogOnceAsync("op", Entry(1), CancellationToken.None));

        Assert.Contains("from 0 to 1", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void SchemeUsesItsOwnInProcessLockUnlessGivenOne()
    {
        using var keys = new Keys();
        using var shared = new InProcessSchemeWriteLock();
        var store = new InMemorySchemeStore();
        var ledger = new SchemeLedger(new InMemoryLedgerStore(), TimeProvider.System);

        var alone = new BenefitScheme(keys.Scheme, keys.Accreditation.PublicKey, ledger, store, new InMemoryMerkleLogStore(), TimeProvider.System);
        var node = new BenefitScheme(keys.Scheme, keys.Accreditation.PublicKey, ledger, store, new InMemoryMerkleLogStore(), TimeProvider.System) { WriteLock = shared };

        Assert.IsType<InProcessSchemeWriteLock>(alone.WriteLock);
        Assert.NotSame(shared, alone.WriteLock);
        Assert.Same(shared, node.WriteLock);
        Assert.Throws<ArgumentNullException>(() => new BenefitScheme(keys.Scheme, keys.Accreditation.PublicKey, ledger, store, new InMemoryMerkleLogStore(), TimeProvider.System) { WriteLock = null! });
        Assert.Throws<ArgumentOutOfRangeException>(() => alone.SignerRefreshInterval = TimeSpan.FromTicks(-1));
        alone.SignerRefreshInterval = TimeSpan.Zero;
        Assert.Equal(TimeSpan.Zero, alone.SignerRefreshInterval);
    }

    [Fact]
    public async Task SchemeOperationHeldUpByTheSharedLockWaitsForIt()
    {
        using var keys = new Keys();
        using var shared = new InProcessSchemeWriteLock();
        var scheme = new BenefitScheme(keys.Scheme, keys.Accreditation.PublicKey, new SchemeLedger(new InMemoryLedgerStore(), TimeProvider.System), new InMemorySchemeStore(), new InMemoryMerkleLogStore(), TimeProvider.System) { WriteLock = shared };
        var registry = AccreditationRegistry.Sign(1, Start, [], keys.Accreditation);

        var held = await shared.EnterAsync(CancellationToken.None);
        var publishing = scheme.PublishRegistryAsync(registry);
        await Task.Delay(50);
        Assert.False(publishing.IsCompleted);

        await held.DisposeAsync();
        Assert.True(await publishing.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    private static LogEntry Entry(byte keyset)
    {
        byte[] id = new byte[KeysetId.Length];
        id.AsSpan().Fill(keyset);
        return LogEntry.ForExpiry(new ExpiryRecord(new KeysetId(id), Start, Amount.FromMinorUnits(5)));
    }

    // A lock whose connection died while held: the seam's contract says so, and the append must not go on.
    private sealed class LostLock : ISchemeWriteLock
    {
        public ValueTask<IAsyncDisposable> EnterAsync(CancellationToken cancellationToken) => throw new NotSupportedException();

        public ValueTask EnsureHeldAsync(CancellationToken cancellationToken) => throw new SchemeWriteLockLostException();
    }

    // Appends one leaf through a second log before the first append reaches the store, as a node without the lock would.
    private sealed class IntrudedLogStore(IMerkleLogStore inner) : IMerkleLogStore
    {
        private int _intruded;

        public ValueTask<ulong> GetLeafCountAsync(CancellationToken cancellationToken) => inner.GetLeafCountAsync(cancellationToken);

        public ValueTask ReadNodesAsync(ReadOnlyMemory<MerkleNodeId> ids, Memory<MerkleHash> destination, CancellationToken cancellationToken) =>
            inner.ReadNodesAsync(ids, destination, cancellationToken);

        public async ValueTask<bool> TryAppendAsync(ulong expectedLeafCount, ulong newLeafCount, ReadOnlyMemory<MerkleNode> nodes, CancellationToken cancellationToken)
        {
            if (Interlocked.Exchange(ref _intruded, 1) == 0)
            {
                await new MerkleLog(inner).AppendAsync(new byte[] { 1, 2, 3 }, cancellationToken);
            }

            return await inner.TryAppendAsync(expectedLeafCount, newLeafCount, nodes, cancellationToken);
        }
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
