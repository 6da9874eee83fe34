using System.Runtime.InteropServices;

namespace Wallet.Crypto.SealedFiles;

/// <summary>
/// Makes a rename durable on Linux and macOS: POSIX only promises that a directory entry survives a crash once the
/// directory itself has been fsync'ed (fsync(2), "Calling fsync() does not necessarily ensure that the entry in the
/// directory containing the file has also reached disk").
/// </summary>
/// <remarks>.NET cannot open a directory as a file handle, hence the direct libc calls.</remarks>
internal static partial class DirectorySync
{
    private const int ReadOnly = 0; // O_RDONLY, the same value on Linux and macOS
    private const int EINTR = 4;
    private const int EINVAL = 22;

    /// <summary>Flushes <paramref name="directory"/>'s entries to disk; does nothing on Windows, where NTFS journals renames.</summary>
    /// <param name="directory">The directory that received the rename.</param>
    /// <exception cref="IOException">The directory could not be opened or flushed.</exception>
    internal static void Flush(string directory)
    {
        if (!OperatingSystem.IsLinux() && !OperatingSystem.IsMacOS() && !OperatingSystem.IsFreeBSD())
        {
            return;
        }

        int fd = Open(directory, ReadOnly);
        if (fd < 0)
        {
            throw new IOException($"Could not open the directory to flush it (errno {Marshal.GetLastPInvokeError()}).");
        }

        try
        {
            int result;
            do
            {
                result = FSync(fd);
            }
            while (result != 0 && Marshal.GetLastPInvokeError() == EINTR);

            // EINVAL: the file system cannot sync directories (some network and FUSE file systems); nothing more can be done there.
            if (result != 0 && Marshal.GetLastPInvokeError() != EINVAL)
            {
                throw new IOException($"Could not flush the directory (errno {Marshal.GetLastPInvokeError()}).");
            }
        }
        finally
        {
            _ = Close(fd);
        }
    }

    [LibraryImport("libc", EntryPoint = "open", SetLastError = true, StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Open(string path, int flags);

    [LibraryImport("libc", EntryPoint = "fsync", SetLastError = true)]
    private static partial int FSync(int fd);

    [LibraryImport("libc", EntryPoint = "close", SetLastError = true)]
    private static partial int Close(int fd);
}
