namespace Wallet.Storage.Sqlite.Tests.Ledger;

/// <summary>A temporary directory for real SQLite files, deleted on dispose.</summary>
public sealed class TempDatabase : IDisposable
{
    public TempDatabase()
    {
        Directory = System.IO.Directory.CreateTempSubdirectory("walletcore-ledger-").FullName;
    }

    public string Directory { get; }

    public string File(string name = "ledger.db") => Path.Combine(Directory, name);

    public void Dispose()
    {
        try
        {
            System.IO.Directory.Delete(Directory, recursive: true);
        }
        catch (IOException)
        {
            // A child process may still hold the file for a moment; the OS temp cleaner will take it.
        }
    }
}
