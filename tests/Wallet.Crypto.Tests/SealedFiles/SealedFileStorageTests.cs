using System.Text;
using Wallet.Crypto.SealedFiles;

namespace Wallet.Crypto.Tests.SealedFiles;

public sealed class SealedFileStorageTests : IDisposable
{
    private static readonly byte[] OldContent = Encoding.UTF8.GetBytes("old wallet");
    private static readonly byte[] NewContent = Encoding.UTF8.GetBytes("new wallet with more coins");

    private readonly string _directory = Directory.CreateTempSubdirectory("wallet-sealed-").FullName;

    private string WalletPath => Path.Combine(_directory, "wallet.sealed");

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private async Task<byte[]> WriteOldFileAsync()
    {
        await SealedFile.WriteAsync(WalletPath, OldContent, "pw", SealedFileTests.Cheap);
        return await File.ReadAllBytesAsync(WalletPath);
    }

    private void AssertOnlyTheWalletFileExists() =>
        Assert.Equal([WalletPath], Directory.GetFiles(_directory));

    [Fact]
    public async Task WriteThenReadRoundTrips()
    {
        await SealedFile.WriteAsync(WalletPath, NewContent, "pw", SealedFileTests.Cheap);

        Assert.Equal(NewContent, await SealedFile.ReadAsync(WalletPath, "pw"));
        AssertOnlyTheWalletFileExists();
    }

    [Fact]
    public async Task WriteReplacesThePreviousFile()
    {
        await WriteOldFileAsync();

        await SealedFile.WriteAsync(WalletPath, NewContent, "pw2", SealedFileTests.Cheap);

        Assert.Equal(NewContent, await SealedFile.ReadAsync(WalletPath, "pw2"));
        AssertOnlyTheWalletFileExists();
    }

    [Fact]
    public async Task CrashBeforeRenameLeavesThePreviousFileIntact()
    {
        byte[] before = await WriteOldFileAsync();
        string? temporary = null;

        await Assert.ThrowsAsync<IOException>(() => SealedFile.WriteAsync(
            WalletPath, NewContent, "pw", SealedFileTests.Cheap,
            path =>
            {
                temporary = path;

                // The new file is complete and on disk at this point, next to the target.
                Assert.Equal(_directory, Path.GetDirectoryName(path));
                Assert.Equal(NewContent, SealedFile.Open(File.ReadAllBytes(path), "pw"));
                throw new IOException("simulated crash");
            },
            CancellationToken.None));

        Assert.NotNull(temporary);
        Assert.Equal(before, await File.ReadAllBytesAsync(WalletPath));
        AssertOnlyTheWalletFileExists();
    }

    [Fact]
    public async Task CancelledWriteLeavesThePreviousFileIntact()
    {
        byte[] before = await WriteOldFileAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SealedFile.WriteAsync(WalletPath, NewContent, "pw", SealedFileTests.Cheap, cancelled.Token));

        Assert.Equal(before, await File.ReadAllBytesAsync(WalletPath));
        AssertOnlyTheWalletFileExists();
    }

    [Fact]
    public async Task InvalidWriteLeavesThePreviousFileIntact()
    {
        byte[] before = await WriteOldFileAsync();

        await Assert.ThrowsAsync<ArgumentException>(() => SealedFile.WriteAsync(WalletPath, NewContent, string.Empty, SealedFileTests.Cheap));
        await Assert.ThrowsAsync<ArgumentNullException>(() => SealedFile.WriteAsync(WalletPath, NewContent, null!, SealedFileTests.Cheap));

        Assert.Equal(before, await File.ReadAllBytesAsync(WalletPath));
        AssertOnlyTheWalletFileExists();
    }

    [Fact]
    public async Task ReadWithWrongPassphraseThrowsAndChangesNothing()
    {
        byte[] before = await WriteOldFileAsync();

        var ex = await Assert.ThrowsAsync<SealedFileException>(() => SealedFile.ReadAsync(WalletPath, "wrong"));

        Assert.Equal(SealedFileError.AuthenticationFailed, ex.Error);
        Assert.Equal(before, await File.ReadAllBytesAsync(WalletPath));
    }

    [Fact]
    public async Task ReadOfAlteredFileIsATypedError()
    {
        byte[] before = await WriteOldFileAsync();
        before[^1] ^= 1;
        await File.WriteAllBytesAsync(WalletPath, before);

        var ex = await Assert.ThrowsAsync<SealedFileException>(() => SealedFile.ReadAsync(WalletPath, "pw"));
        Assert.Equal(SealedFileError.AuthenticationFailed, ex.Error);
    }

    [Fact]
    public async Task ReadOfOversizedFileIsRejectedWithoutReadingIt()
    {
        await using (var stream = File.Create(WalletPath))
        {
            stream.SetLength(SealedFile.HeaderLength + (long)SealedFile.MaxPlaintextLength + SealedFile.TagLength + 1);
        }

        var ex = await Assert.ThrowsAsync<SealedFileException>(() => SealedFile.ReadAsync(WalletPath, "pw"));
        Assert.Equal(SealedFileError.TooLarge, ex.Error);
    }

    [Fact]
    public async Task ReadOfMissingFileThrowsFileNotFound()
    {
        await Assert.ThrowsAsync<FileNotFoundException>(() => SealedFile.ReadAsync(WalletPath, "pw"));
    }

    [Fact]
    public async Task ReadOfOtherFileIsATypedError()
    {
        await File.WriteAllTextAsync(WalletPath, "{\"not\":\"sealed\"}");

        var ex = await Assert.ThrowsAsync<SealedFileException>(() => SealedFile.ReadAsync(WalletPath, "pw"));
        Assert.Equal(SealedFileError.NotASealedFile, ex.Error);
    }

    [Fact]
    public async Task CancelledReadThrows()
    {
        await WriteOldFileAsync();
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => SealedFile.ReadAsync(WalletPath, "pw", cancelled.Token));
    }

    [Fact]
    public async Task WrittenFileIsReadableByItsOwnerOnly()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }


        await SealedFile.WriteAsync(WalletPath, NewContent, "pw", SealedFileTests.Cheap);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(WalletPath));
    }

    [Fact]
    public async Task RewriteDoesNotLoosenTheModeOfAWorldReadableFile()
    {
        if (OperatingSystem.IsWindows())
        {
            return; // Unix file modes only
        }

        await WriteOldFileAsync();
        File.SetUnixFileMode(WalletPath, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);

        await SealedFile.WriteAsync(WalletPath, NewContent, "pw", SealedFileTests.Cheap);

        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(WalletPath));
        Assert.Equal(NewContent, await SealedFile.ReadAsync(WalletPath, "pw"));
    }

    [Fact]
    public void DirectoryFlushSucceedsOnARealDirectoryAndReportsAMissingOne()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // directory fsync is exercised on Linux
        }


        DirectorySync.Flush(_directory);
        Assert.Throws<IOException>(() => DirectorySync.Flush(Path.Combine(_directory, "missing")));
    }

    [Fact]
    public async Task ReadFromAPipeOpensTheFile()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mkfifo
        }

        byte[] sealedData = SealedFile.Seal(NewContent, "pw", SealedFileTests.Cheap);
        string fifo = MakeFifo();

        Task writer = WriteToFifoAsync(fifo, sealedData);
        byte[] opened = await SealedFile.ReadAsync(fifo, "pw");
        await writer;

        Assert.Equal(NewContent, opened);
    }

    [Fact]
    public async Task ReadFromAPipeStopsAtTheSizeLimit()
    {
        if (!OperatingSystem.IsLinux())
        {
            return; // mkfifo
        }

        string fifo = MakeFifo();
        byte[] tooMuch = new byte[2 * (SealedFile.HeaderLength + SealedFile.MaxPlaintextLength + SealedFile.TagLength)];
        "WCSEAL"u8.CopyTo(tooMuch);

        Task writer = WriteToFifoAsync(fifo, tooMuch);
        var ex = await Assert.ThrowsAsync<SealedFileException>(() => SealedFile.ReadAsync(fifo, "pw"));

        Assert.Equal(SealedFileError.TooLarge, ex.Error);
        await Assert.ThrowsAnyAsync<IOException>(() => writer); // the reader stopped and closed the pipe long before the end
    }

    [Fact]
    public async Task ReadRefusesACostAboveTheCallersMaximumBeforeDerivingAKey()
    {
        await SealedFile.WriteAsync(WalletPath, NewContent, "pw", new SealedFileParameters(1024, 2));

        var memory = await Assert.ThrowsAsync<SealedFileException>(() => SealedFile.ReadAsync(WalletPath, "pw", new SealedFileParameters(512, 8)));
        var passes = await Assert.ThrowsAsync<SealedFileException>(() => SealedFile.ReadAsync(WalletPath, "pw", new SealedFileParameters(1024, 1)));

        Assert.Equal(SealedFileError.ParametersOutOfBounds, memory.Error);
        Assert.Equal(SealedFileError.ParametersOutOfBounds, passes.Error);
        Assert.Equal(NewContent, await SealedFile.ReadAsync(WalletPath, "pw", new SealedFileParameters(1024, 2)));
    }

    private string MakeFifo()
    {
        string fifo = Path.Combine(_directory, "pipe");
        using var mkfifo = System.Diagnostics.Process.Start("mkfifo", [fifo]);
        mkfifo.WaitForExit();
        Assert.Equal(0, mkfifo.ExitCode);
        return fifo;
    }

    private static Task WriteToFifoAsync(string fifo, byte[] data) => Task.Run(async () =>
    {
        await using var stream = new FileStream(fifo, FileMode.Open, FileAccess.Write);
        await stream.WriteAsync(data);
    });
}
