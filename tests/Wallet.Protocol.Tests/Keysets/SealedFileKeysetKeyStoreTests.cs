using System.Runtime.InteropServices;
using System.Security.Cryptography;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.SealedFiles;
using Wallet.Protocol.Keysets;

namespace Wallet.Protocol.Tests.Keysets;

public sealed class SealedFileKeysetKeyStoreTests : IDisposable
{
    private static readonly KeysetId First = new(Enumerable.Repeat((byte)1, KeysetId.Length).ToArray());
    private static readonly KeysetId Second = new(Enumerable.Repeat((byte)2, KeysetId.Length).ToArray());
    private readonly string _directory = Path.Combine(Directory.CreateTempSubdirectory("walletcore-keys-").FullName, "keysets");
    private readonly byte[] _kek = RandomNumberGenerator.GetBytes(SealedFileKeysetKeyStore.KeyEncryptionKeyLength);

    public void Dispose() => Directory.Delete(Path.GetDirectoryName(_directory)!, recursive: true);

    [Fact]
    public async Task PutThenLoadFromANewStoreReturnsTheSameKeyNotExportable()
    {
        using var key = ExportableKey("rsa2048.pem");
        using (var store = new SealedFileKeysetKeyStore(_directory, _kek))
        {
            await store.PutAsync(First, key, CancellationToken.None);
        }

        using var reopened = new SealedFileKeysetKeyStore(_directory, _kek);
        var loaded = await reopened.TryLoadAsync(First, CancellationToken.None);

        Assert.NotNull(loaded);
        Assert.Equal(key.PublicKey.ExportSubjectPublicKeyInfo(), loaded.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(BlindRsaScheme.Rsabssa, loaded.Scheme);
        Assert.Throws<InvalidOperationException>(() => loaded.ExportPkcs8());
        Assert.Same(loaded, await reopened.TryLoadAsync(First, CancellationToken.None));
    }

    [Fact]
    public async Task AKeyFileIsCreatedOwnerOnlyOnceAndOpensTheSameKeysAfterwards()
    {
        string keyFile = Path.Combine(Path.GetDirectoryName(_directory)!, "secrets", "keysets.kek");
        using var key = ExportableKey("rsa2048.pem");
        using (var store = SealedFileKeysetKeyStore.OpenWithKeyFile(_directory, keyFile))
        {
            await store.PutAsync(First, key, CancellationToken.None);
        }

        byte[] created = File.ReadAllBytes(keyFile);
        Assert.Equal(SealedFileKeysetKeyStore.KeyEncryptionKeyLength, created.Length);
        if (!OperatingSystem.IsWindows())
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(keyFile));
        }

        // Opened again, the file is read, not replaced: the sealed key opens.
        using (var reopened = SealedFileKeysetKeyStore.OpenWithKeyFile(_directory, keyFile))
        {
            Assert.NotNull(await reopened.TryLoadAsync(First, CancellationToken.None));
        }

        Assert.Equal(created, File.ReadAllBytes(keyFile));
        File.WriteAllBytes(keyFile, created[..16]);
        Assert.Throws<InvalidDataException>(() => SealedFileKeysetKeyStore.OpenWithKeyFile(_directory, keyFile));
    }

    [Fact]
    public async Task TheFirstKeyStoredForAKeysetWins()
    {
        using var first = ExportableKey("rsa2048.pem");
        using var second = ExportableKey("rsa3072.pem");
        using (var store = new SealedFileKeysetKeyStore(_directory, _kek))
        {
            await store.PutAsync(First, first, CancellationToken.None);
            await store.PutAsync(First, second, CancellationToken.None);
        }

        using var reopened = new SealedFileKeysetKeyStore(_directory, _kek);
        await reopened.PutAsync(First, second, CancellationToken.None);
        Assert.Equal(first.PublicKey.ExportSubjectPublicKeyInfo(), (await reopened.TryLoadAsync(First, CancellationToken.None))!.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task AKeysetWithoutAKeyLoadsAsNull()
    {
        using var store = new SealedFileKeysetKeyStore(_directory, _kek);
        Assert.Null(await store.TryLoadAsync(First, CancellationToken.None));
    }

    [Fact]
    public async Task AWrongKeyEncryptionKeyIsRefusedWithATypedError()
    {
        using var key = ExportableKey("rsa2048.pem");
        using (var store = new SealedFileKeysetKeyStore(_directory, _kek))
        {
            await store.PutAsync(First, key, CancellationToken.None);
        }

        using var wrong = new SealedFileKeysetKeyStore(_directory, RandomNumberGenerator.GetBytes(32));
        var refused = await Assert.ThrowsAsync<KeysetKeyStoreException>(() => wrong.TryLoadAsync(First, CancellationToken.None).AsTask());

        Assert.Equal(First, refused.Keyset);
        Assert.Equal(SealedFileError.AuthenticationFailed, Assert.IsType<SealedFileException>(refused.InnerException).Error);
        Assert.Contains(First.ToString(), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AKeyFileRenamedToAnotherKeysetIsRefused()
    {
        using var key = ExportableKey("rsa2048.pem");
        using (var store = new SealedFileKeysetKeyStore(_directory, _kek))
        {
            await store.PutAsync(First, key, CancellationToken.None);
        }

        File.Move(Path.Combine(_directory, $"{First}.key"), Path.Combine(_directory, $"{Second}.key"));
        using var reopened = new SealedFileKeysetKeyStore(_directory, _kek);
        var refused = await Assert.ThrowsAsync<KeysetKeyStoreException>(() => reopened.TryLoadAsync(Second, CancellationToken.None).AsTask());
        Assert.Equal(Second, refused.Keyset);
    }

    [Fact]
    public async Task AKeyThatIsNotExportableCannotBeSealed()
    {
        using var key = BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(KeyPath("rsa2048.pem")));
        using var store = new SealedFileKeysetKeyStore(_directory, _kek);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(First, key, CancellationToken.None).AsTask());
        Assert.Equal("key", refused.ParamName);
        Assert.Empty(Directory.EnumerateFiles(_directory));
    }

    [Fact]
    public void AKeyEncryptionKeyOfAnotherLengthIsRefused() =>
        Assert.Equal("keyEncryptionKey", Assert.Throws<ArgumentException>(() => new SealedFileKeysetKeyStore(_directory, new byte[16])).ParamName);

    [Fact]
    public async Task FilesAreOwnerOnlyWhateverTheUmask()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        using var key = ExportableKey("rsa2048.pem");
        uint previous = Umask(0x12); // 022
        try
        {
            using var store = new SealedFileKeysetKeyStore(_directory, _kek);
            await store.PutAsync(First, key, CancellationToken.None);

            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(Path.Combine(_directory, $"{First}.key")));

            // An existing, looser directory is narrowed when the store opens it.
            File.SetUnixFileMode(_directory, (UnixFileMode)0x1ED); // 0755
            using var reopened = new SealedFileKeysetKeyStore(_directory, _kek);
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(_directory));
        }
        finally
        {
            Umask(previous);
        }
    }

    [Fact]
    public async Task NoKeyMaterialAppearsInToStringOrExceptions()
    {
        using var key = ExportableKey("rsa2048.pem");
        byte[] pkcs8 = key.ExportPkcs8();
        var store = new SealedFileKeysetKeyStore(_directory, _kek);
        await store.PutAsync(First, key, CancellationToken.None);
        var loaded = (await store.TryLoadAsync(First, CancellationToken.None))!;
        using var wrong = new SealedFileKeysetKeyStore(_directory, RandomNumberGenerator.GetBytes(32));
        var refused = await Assert.ThrowsAsync<KeysetKeyStoreException>(() => wrong.TryLoadAsync(First, CancellationToken.None).AsTask());
        var missing = new MissingKeysetKeyException([First]);
        using var memory = new InMemoryKeysetKeyStore();
        await memory.PutAsync(First, key, CancellationToken.None);

        string text = string.Join("\n", store.ToString(), loaded.ToString(), refused.ToString(), missing.ToString(), memory.ToString());
        foreach (byte[] secret in new[] { _kek, pkcs8, pkcs8[^64..] })
        {
            Assert.DoesNotContain(Convert.ToHexString(secret), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(secret), text, StringComparison.Ordinal);
        }

        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loaded.ExportPkcs1());
    }

    private static string KeyPath(string file) => Path.Combine(AppContext.BaseDirectory, "Keys", file);

    private static BlindRsaPrivateKey ExportableKey(string file) =>
        BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(KeyPath(file)), exportable: true);

    // umask(2) always succeeds and returns the previous mask. DllImport, since LibraryImport needs unsafe code here.
#pragma warning disable SYSLIB1054
    [DllImport("libc", EntryPoint = "umask")]
    private static extern uint Umask(uint mask);
#pragma warning restore SYSLIB1054
}
