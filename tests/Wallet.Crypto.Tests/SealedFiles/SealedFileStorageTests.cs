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
}
