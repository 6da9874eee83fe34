using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>Fresh <see cref="SqliteSchemeDatabase"/> files in one temporary directory, all closed and deleted on dispose.</summary>
public sealed class SchemeDatabases : IDisposable
{
    private readonly TempDatabase _temp = new();
    private readonly List<SqliteSchemeDatabase> _open = [];
    private int _created;

    /// <summary>Opens a new database file (or, with <paramref name="name"/>, that file again).</summary>
    public async Task<SqliteSchemeDatabase> OpenAsync(string? name = null)
    {
        var database = await SqliteSchemeDatabase.OpenAsync(_temp.File(name ?? $"walletcore-{_created++}.db"));
        _open.Add(database);
        return database;
    }

    /// <summary>Closes every database opened so far.</summary>
    public void CloseAll()
    {
        foreach (var database in _open)
        {
            database.Dispose();
        }

        _open.Clear();
    }

    public void Dispose()
    {
        CloseAll();
        _temp.Dispose();
    }
}
