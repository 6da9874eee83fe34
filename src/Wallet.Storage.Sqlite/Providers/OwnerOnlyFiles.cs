namespace Wallet.Storage.Sqlite.Providers;

/// <summary>
/// Keeps a database file readable by its owner only on Unix: the file (and SQLite's -wal and -shm files, which
/// SQLite creates with the database file's mode) is 0600 whatever the umask, and a missing directory is created 0700.
/// An existing directory is left as the operator made it. No effect on Windows, where ACLs apply.
/// </summary>
internal static class OwnerOnlyFiles
{
    private const UnixFileMode OwnerDirectory = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode OwnerFile = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>Before SQLite opens <paramref name="path"/>: creates the directory (0700) and an empty file (0600) when missing; SQLite takes an empty file as a new database.</summary>
    public static void Prepare(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string? directory = Path.GetDirectoryName(Path.GetFullPath(path));
        if (directory is not null && !Directory.Exists(directory))
        {
            Directory.CreateDirectory(directory, OwnerDirectory);
        }

        if (!File.Exists(path))
        {
            using var created = new FileStream(path, new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, UnixCreateMode = OwnerFile });
        }
    }

    /// <summary>After opening: narrows the database file and its -wal and -shm files to 0600 (an older file may be wider).</summary>
    public static void Narrow(string path)
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        foreach (string file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
        {
            File.SetUnixFileMode(file, OwnerFile);
        }
    }
}
