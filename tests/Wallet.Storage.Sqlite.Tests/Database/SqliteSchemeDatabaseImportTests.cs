using Wallet.Crypto.Merkle;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Log;
using Wallet.Protocol.Schemes;
using Wallet.Storage.Sqlite.Ledger;
using Wallet.Storage.Sqlite.Merkle;
using Wallet.Storage.Sqlite.Scheme;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>
/// Moving a scheme from the three files of earlier releases into one database, on a copy of a real pilot directory
/// (Fixtures/pilot-three-files, made by the pilot before the move).
/// </summary>
public sealed class SqliteSchemeDatabaseImportTests : IDisposable
{
    private static readonly string Fixture = System.IO.Path.Combine(AppContext.BaseDirectory, "Database", "Fixtures", "pilot-three-files");

    private readonly TempDatabase _temp = new();

    [Fact]
    public async Task PilotDirectoryIsImportedWithEveryEntryLeafAndRecord()
    {
        string directory = CopyFixture();
        var before = await SnapshotOfSeparateFilesAsync(directory);
        Assert.True(before.Entries > 100, $"the fixture holds {before.Entries} journal entries");

        await using (var database = await SqliteSchemeDatabase.OpenDirectoryAsync(directory))
        {
            var after = await SnapshotAsync(database.Ledger, database.Scheme, database.Log);
            Assert.Equal(before, after);

            // The journal goes on from the imported head, and the whole ledger still verifies.
            var ledger = new SchemeLedger(database.Ledger, TimeProvider.System);
            Assert.Equal(LedgerStatus.Applied, (await ledger.ContributeAsync(new IdempotencyKey("after-import"), ContributionSource.Employer, new AccountId("worker-new"), Amount.FromMinorUnits(100))).Status);
            var verified = await ledger.VerifyAsync();
            Assert.True(verified.IsValid, string.Join("; ", verified.Problems));
            Assert.Equal(before.Entries + 1, verified.EntryCount);
        }

        // The old files are set aside, never read again; opening again opens the database, with what it holds.
        Assert.True(File.Exists(System.IO.Path.Combine(directory, SqliteSchemeDatabase.DefaultFileName)));
        Assert.All(SqliteSchemeDatabase.SeparateFileNames, name =>
        {
            Assert.False(File.Exists(System.IO.Path.Combine(directory, name)), name);
            Assert.True(File.Exists(System.IO.Path.Combine(directory, name + ".imported")), name);
        });
        await using var reopened = await SqliteSchemeDatabase.OpenDirectoryAsync(directory);
        Assert.Equal(before.Entries + 1, (await new SchemeLedger(reopened.Ledger, TimeProvider.System).VerifyAsync()).EntryCount);
        Assert.Equal(before.LogSize, await reopened.Log.GetLeafCountAsync(CancellationToken.None));
    }

    [Fact]
    public async Task ImportRefusesAnExistingDatabaseAndLeavesItAlone()
    {
        string directory = CopyFixture();
        string target = System.IO.Path.Combine(directory, "existing.db");
        await File.WriteAllBytesAsync(target, [1, 2, 3]);
        var files = SqliteSchemeDatabase.SeparateFileNames.Select(n => System.IO.Path.Combine(directory, n)).ToArray();

        await Assert.ThrowsAsync<ArgumentException>(() => SqliteSchemeDatabase.ImportSeparateFilesAsync(files[0], files[1], files[2], target));
        Assert.Equal([1, 2, 3], await File.ReadAllBytesAsync(target));
    }

    [Fact]
    public async Task FileThatIsNotItsStoreIsRefusedAndNothingIsCreated()
    {
        string directory = CopyFixture();
        await File.WriteAllTextAsync(System.IO.Path.Combine(directory, "log.db"), "not a database, only text long enough to be read as a header of one");
        var files = SqliteSchemeDatabase.SeparateFileNames.Select(n => System.IO.Path.Combine(directory, n)).ToArray();
        string target = System.IO.Path.Combine(directory, SqliteSchemeDatabase.DefaultFileName);

        await Assert.ThrowsAsync<LedgerStoreException>(() => SqliteSchemeDatabase.ImportSeparateFilesAsync(files[0], files[1], files[2], target));
        Assert.False(File.Exists(target));
        Assert.Empty(Directory.EnumerateFiles(directory, "*.importing*"));
    }

    [Fact]
    public async Task DirectoryWithSomeOfTheOldFilesIsRefusedRatherThanStartedAfresh()
    {
        string directory = CopyFixture();
        File.Delete(System.IO.Path.Combine(directory, "log.db"));

        var refused = await Assert.ThrowsAsync<LedgerStoreException>(() => SqliteSchemeDatabase.OpenDirectoryAsync(directory));

        Assert.Contains("ledger.db and scheme.db", refused.Message, StringComparison.Ordinal);
        Assert.False(File.Exists(System.IO.Path.Combine(directory, SqliteSchemeDatabase.DefaultFileName)));
        Assert.True(File.Exists(System.IO.Path.Combine(directory, "ledger.db")));
    }

    [Fact]
    public async Task MissingFileIsNamed()
    {
        string directory = CopyFixture();
        File.Delete(System.IO.Path.Combine(directory, "scheme.db"));
        var files = SqliteSchemeDatabase.SeparateFileNames.Select(n => System.IO.Path.Combine(directory, n)).ToArray();

        var missing = await Assert.ThrowsAsync<FileNotFoundException>(() => SqliteSchemeDatabase.ImportSeparateFilesAsync(files[0], files[1], files[2], System.IO.Path.Combine(directory, "new.db")));
        Assert.Equal(files[1], missing.FileName);
    }

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _temp.Dispose();
    }

    private static async Task<Snapshot> SnapshotOfSeparateFilesAsync(string directory)
    {
        await using var ledger = await SqliteLedgerStore.OpenAsync(System.IO.Path.Combine(directory, "ledger.db"));
        using var scheme = SqliteSchemeStore.Open(System.IO.Path.Combine(directory, "scheme.db"));
        using var log = SqliteMerkleLogStore.Open(System.IO.Path.Combine(directory, "log.db"));
        return await SnapshotAsync(ledger, scheme, log);
    }

    // What the import must carry over: the verified journal and its head, the log's size and root, every stored log
    // entry's bytes, every keyset and registry.
    private static async Task<Snapshot> SnapshotAsync(ILedgerStore ledgerStore, ISchemeStore scheme, IMerkleLogStore logStore)
    {
        var verified = await new SchemeLedger(ledgerStore, TimeProvider.System).VerifyAsync();
        Assert.True(verified.IsValid, string.Join("; ", verified.Problems));
        var log = new MerkleLog(logStore);
        ulong size = await log.GetSizeAsync();
        var entries = new List<string>();
        for (ulong i = 0; i < size; i++)
        {
            LogEntry? entry = await scheme.GetLogEntryAsync(i, CancellationToken.None);
            entries.Add(entry is null ? "-" : Convert.ToHexString(entry.Encode()));
        }

        var keysets = (await scheme.ListKeysetsAsync(CancellationToken.None)).Select(k => $"{k.Announcement.Descriptor.Id}/{k.LogIndex}/{k.Revoked}");
        var registries = (await scheme.ListRegistriesAsync(CancellationToken.None)).Select(r => r.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
        return new Snapshot(
            verified.EntryCount,
            verified.Head.Hash.ToString(),
            verified.AccountCount,
            size,
            (await log.GetRootAsync(size)).ToString(),
            string.Join(",", entries).GetHashCode(StringComparison.Ordinal),
            string.Join(",", keysets),
            string.Join(",", registries));
    }

    private string CopyFixture()
    {
        string directory = System.IO.Path.Combine(_temp.Directory, "pilot-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        foreach (string file in Directory.EnumerateFiles(Fixture))
        {
            File.Copy(file, System.IO.Path.Combine(directory, System.IO.Path.GetFileName(file)));
        }

        return directory;
    }

    private sealed record Snapshot(long Entries, string Head, int Accounts, ulong LogSize, string Root, int EntriesDigest, string Keysets, string Registries);
}
