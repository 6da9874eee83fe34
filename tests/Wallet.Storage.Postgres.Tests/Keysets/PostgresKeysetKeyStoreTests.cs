using System.Security.Cryptography;
using Npgsql;
using Wallet.Crypto.BlindRsa;
using Wallet.Crypto.SealedFiles;
using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Storage.Postgres.Keysets;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Keysets;

/// <summary>The sealed keyset key store against a real PostgreSQL server: the sealed-file store's behaviour, in rows.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresKeysetKeyStoreTests(PostgresFixture server)
{
    private static readonly KeysetId First = new(Enumerable.Repeat((byte)1, KeysetId.Length).ToArray());
    private static readonly KeysetId Second = new(Enumerable.Repeat((byte)2, KeysetId.Length).ToArray());
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly byte[] _kek = RandomNumberGenerator.GetBytes(PostgresKeysetKeyStore.KeyEncryptionKeyLength);

    [Fact]
    public async Task PutThenLoadFromANewStoreReturnsTheSameKeyNotExportable()
    {
        string schema = await server.NewSchemaAsync("keys");
        using var key = ExportableKey("rsa2048.pem");
        await using (var store = await PostgresKeysetKeyStore.OpenAsync(schema, _kek))
        {
            await store.PutAsync(First, key, None);
        }

        await using var reopened = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        var loaded = await reopened.TryLoadAsync(First, None);

        Assert.NotNull(loaded);
        Assert.Equal(key.PublicKey.ExportSubjectPublicKeyInfo(), loaded.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(BlindRsaScheme.Rsabssa, loaded.Scheme);
        Assert.Throws<InvalidOperationException>(() => loaded.ExportPkcs8());
        Assert.Same(loaded, await reopened.TryLoadAsync(First, None));
    }

    [Fact]
    public async Task TheRowHoldsTheKeySealedNotInTheClear()
    {
        string schema = await server.NewSchemaAsync("keys");
        using var key = ExportableKey("rsa2048.pem");
        byte[] pkcs8 = key.ExportPkcs8();
        await using var store = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        await store.PutAsync(First, key, None);

        byte[] row = (byte[])(await server.ScalarAsync(schema, "SELECT sealed FROM keyset_keys"))!;
        Assert.Equal(-1, row.AsSpan().IndexOf(pkcs8.AsSpan(pkcs8.Length - 64)));
        Assert.Equal(First.Bytes.ToArray(), (byte[])(await server.ScalarAsync(schema, "SELECT keyset_id FROM keyset_keys"))!);

        // The row is exactly a sealed key file: the sealed-file store opens it under the same key-encryption key.
        string directory = Directory.CreateTempSubdirectory("walletcore-keys-").FullName;
        try
        {
            await File.WriteAllBytesAsync(Path.Combine(directory, $"{First}.key"), row);
            using var files = new SealedFileKeysetKeyStore(directory, _kek);
            Assert.Equal(key.PublicKey.ExportSubjectPublicKeyInfo(), (await files.TryLoadAsync(First, None))!.PublicKey.ExportSubjectPublicKeyInfo());
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Fact]
    public async Task PuttingTheSameKeyAgainChangesNothing()
    {
        string schema = await server.NewSchemaAsync("keys");
        using var key = ExportableKey("rsa2048.pem");
        await using var store = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        await store.PutAsync(First, key, None);
        byte[] row = (byte[])(await server.ScalarAsync(schema, "SELECT sealed FROM keyset_keys"))!;

        await store.PutAsync(First, key, None);
        await using var other = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        await other.PutAsync(First, key, None);

        Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM keyset_keys"));
        Assert.Equal(row, (byte[])(await server.ScalarAsync(schema, "SELECT sealed FROM keyset_keys"))!);
    }

    [Fact]
    public async Task TheFirstKeyStoredForAKeysetWinsOnEveryNode()
    {
        string schema = await server.NewSchemaAsync("keys");
        using var first = ExportableKey("rsa2048.pem");
        using var second = ExportableKey("rsa3072.pem");
        await using var store = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        await using var otherNode = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        await store.PutAsync(First, first, None);
        await store.PutAsync(First, second, None);

        // The other node never loaded the key: its put finds the row and leaves it, and it loads the first key.
        await otherNode.PutAsync(First, second, None);
        byte[] expected = first.PublicKey.ExportSubjectPublicKeyInfo();
        Assert.Equal(expected, (await store.TryLoadAsync(First, None))!.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(expected, (await otherNode.TryLoadAsync(First, None))!.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task TwoNodesOverOneDatabaseSeeEachOthersKeys()
    {
        string schema = await server.NewSchemaAsync("keys");
        await using var nodeA = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        await using var dataSource = NpgsqlDataSource.Create(schema);
        await using var nodeB = await PostgresKeysetKeyStore.OpenAsync(dataSource, _kek);
        using var keyA = ExportableKey("rsa2048.pem");
        using var keyB = ExportableKey("rsa3072.pem");

        Assert.Null(await nodeB.TryLoadAsync(First, None));
        await nodeA.PutAsync(First, keyA, None);
        await nodeB.PutAsync(Second, keyB, None);

        Assert.Equal(keyA.PublicKey.ExportSubjectPublicKeyInfo(), (await nodeB.TryLoadAsync(First, None))!.PublicKey.ExportSubjectPublicKeyInfo());
        Assert.Equal(keyB.PublicKey.ExportSubjectPublicKeyInfo(), (await nodeA.TryLoadAsync(Second, None))!.PublicKey.ExportSubjectPublicKeyInfo());
    }

    [Fact]
    public async Task ConcurrentPutsOfDifferentKeysLeaveOneKeyThatEveryNodeLoads()
    {
        string schema = await server.NewSchemaAsync("keys");
        PostgresKeysetKeyStore[] nodes = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresKeysetKeyStore.OpenAsync(schema, _kek)));
        using var small = ExportableKey("rsa2048.pem");
        using var large = ExportableKey("rsa3072.pem");
        try
        {
            await Task.WhenAll(nodes.Select((node, i) => Task.Run(async () => await node.PutAsync(First, i % 2 == 0 ? small : large, None))));

            var loaded = await Task.WhenAll(nodes.Select(node => node.TryLoadAsync(First, None).AsTask()));
            Assert.Single(loaded.Select(k => Convert.ToHexString(k!.PublicKey.ExportSubjectPublicKeyInfo())).Distinct());
            Assert.Equal(1L, await server.ScalarAsync(schema, "SELECT count(*) FROM keyset_keys"));
        }
        finally
        {
            foreach (var node in nodes)
            {
                await node.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task AKeysetWithoutAKeyLoadsAsNull()
    {
        await using var store = await PostgresKeysetKeyStore.OpenAsync(await server.NewSchemaAsync("keys"), _kek);
        Assert.Null(await store.TryLoadAsync(First, None));
    }

    [Fact]
    public async Task AWrongKeyEncryptionKeyIsRefusedWithATypedError()
    {
        string schema = await server.NewSchemaAsync("keys");
        using var key = ExportableKey("rsa2048.pem");
        await using (var store = await PostgresKeysetKeyStore.OpenAsync(schema, _kek))
        {
            await store.PutAsync(First, key, None);
        }

        await using var wrong = await PostgresKeysetKeyStore.OpenAsync(schema, RandomNumberGenerator.GetBytes(32));
        var refused = await Assert.ThrowsAsync<KeysetKeyStoreException>(() => wrong.TryLoadAsync(First, None).AsTask());

        Assert.Equal(First, refused.Keyset);
        Assert.Equal(SealedFileError.AuthenticationFailed, Assert.IsType<SealedFileException>(refused.InnerException).Error);
        Assert.Contains(First.ToString(), refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ATamperedRowIsRefusedWithATypedError()
    {
        string schema = await server.NewSchemaAsync("keys");
        using var key = ExportableKey("rsa2048.pem");
        await using (var store = await PostgresKeysetKeyStore.OpenAsync(schema, _kek))
        {
            await store.PutAsync(First, key, None);
        }

        // One bit flipped in the ciphertext, past the sealed header.
        await server.ScalarAsync(schema, "UPDATE keyset_keys SET sealed = set_byte(sealed, 100, get_byte(sealed, 100) # 1)");
        await using var reopened = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        var refused = await Assert.ThrowsAsync<KeysetKeyStoreException>(() => reopened.TryLoadAsync(First, None).AsTask());
        Assert.Equal(SealedFileError.AuthenticationFailed, Assert.IsType<SealedFileException>(refused.InnerException).Error);

        // Bytes that are not a sealed key at all.
        await server.ScalarAsync(schema, "UPDATE keyset_keys SET sealed = '\\x0102'::bytea");
        await using var again = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        Assert.Equal(First, (await Assert.ThrowsAsync<KeysetKeyStoreException>(() => again.TryLoadAsync(First, None).AsTask())).Keyset);
    }

    [Fact]
    public async Task ARowMovedToAnotherKeysetIsRefused()
    {
        string schema = await server.NewSchemaAsync("keys");
        using var key = ExportableKey("rsa2048.pem");
        await using (var store = await PostgresKeysetKeyStore.OpenAsync(schema, _kek))
        {
            await store.PutAsync(First, key, None);
        }

        await server.ScalarAsync(schema, $"UPDATE keyset_keys SET keyset_id = '\\x{Second}'::bytea");
        await using var reopened = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        var refused = await Assert.ThrowsAsync<KeysetKeyStoreException>(() => reopened.TryLoadAsync(Second, None).AsTask());
        Assert.Equal(Second, refused.Keyset);
        Assert.Null(refused.InnerException);
        Assert.Null(await reopened.TryLoadAsync(First, None));
    }

    [Fact]
    public async Task AKeyThatIsNotExportableCannotBeSealedAndNothingIsWritten()
    {
        string schema = await server.NewSchemaAsync("keys");
        using var key = BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(KeyPath("rsa2048.pem")));
        await using var store = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => store.PutAsync(First, key, None).AsTask());
        Assert.Equal("key", refused.ParamName);
        Assert.Equal(0L, await server.ScalarAsync(schema, "SELECT count(*) FROM keyset_keys"));
    }

    [Fact]
    public async Task BadArgumentsAreRefusedBeforeAnythingIsOpened()
    {
        await using var dataSource = NpgsqlDataSource.Create("Host=127.0.0.1;Port=1;Timeout=1");
        Assert.Equal("keyEncryptionKey", Assert.Throws<ArgumentException>(() => PostgresKeysetKeyStore.Create(dataSource, new byte[16])).ParamName);
        Assert.Equal("keyEncryptionKey", (await Assert.ThrowsAsync<ArgumentException>(() => PostgresKeysetKeyStore.OpenAsync(dataSource, new byte[33]))).ParamName);
        Assert.Equal("keyEncryptionKey", (await Assert.ThrowsAsync<ArgumentException>(() => PostgresKeysetKeyStore.OpenAsync("Host=127.0.0.1;Port=1", new byte[0]))).ParamName);
        await Assert.ThrowsAsync<ArgumentNullException>(() => PostgresKeysetKeyStore.OpenAsync((NpgsqlDataSource)null!, _kek));
        await Assert.ThrowsAsync<ArgumentException>(() => PostgresKeysetKeyStore.OpenAsync(string.Empty, _kek));

        await using var store = PostgresKeysetKeyStore.Create(dataSource, _kek);
        using var key = ExportableKey("rsa2048.pem");
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.PutAsync(null!, key, None).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.PutAsync(First, null!, None).AsTask());
        await Assert.ThrowsAsync<ArgumentNullException>(() => store.TryLoadAsync(null!, None).AsTask());
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => store.TryLoadAsync(First, cancelled.Token).AsTask());
    }

    [Fact]
    public async Task OpeningMigratesOnceIntoItsOwnTablesAndRefusesANewerSchema()
    {
        string schema = await server.NewSchemaAsync("keys");
        var stores = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => PostgresKeysetKeyStore.OpenAsync(schema, _kek)));
        foreach (var store in stores)
        {
            await store.DisposeAsync();
        }

        Assert.Equal(PostgresKeysetKeyStore.SchemaVersion, await server.ScalarAsync(schema, "SELECT version FROM keyset_keys_schema"));
        Assert.Equal(
            "keyset_keys,keyset_keys_schema",
            await server.ScalarAsync(schema, "SELECT string_agg(tablename, ',' ORDER BY tablename) FROM pg_tables WHERE schemaname = current_schema()"));

        await server.ScalarAsync(schema, $"UPDATE keyset_keys_schema SET version = {PostgresKeysetKeyStore.SchemaVersion + 1}");
        await Assert.ThrowsAsync<InvalidOperationException>(() => PostgresKeysetKeyStore.OpenAsync(schema, _kek));
    }

    [Fact]
    public async Task NoKeyMaterialAppearsInToStringOrExceptionsAndDisposalWipesTheKeys()
    {
        string schema = await server.NewSchemaAsync("keys");
        using var key = ExportableKey("rsa2048.pem");
        byte[] pkcs8 = key.ExportPkcs8();
        var store = await PostgresKeysetKeyStore.OpenAsync(schema, _kek);
        await store.PutAsync(First, key, None);
        var loaded = (await store.TryLoadAsync(First, None))!;
        await using var wrong = await PostgresKeysetKeyStore.OpenAsync(schema, RandomNumberGenerator.GetBytes(32));
        var refused = await Assert.ThrowsAsync<KeysetKeyStoreException>(() => wrong.TryLoadAsync(First, None).AsTask());

        string text = string.Join("\n", store.ToString(), wrong.ToString(), loaded.ToString(), refused.ToString());
        Assert.DoesNotContain("Password", text, StringComparison.OrdinalIgnoreCase);
        foreach (byte[] secret in new[] { _kek, pkcs8, pkcs8[^64..] })
        {
            Assert.DoesNotContain(Convert.ToHexString(secret), text, StringComparison.OrdinalIgnoreCase);
            Assert.DoesNotContain(Convert.ToBase64String(secret), text, StringComparison.Ordinal);
        }

        store.Dispose();
        Assert.Throws<ObjectDisposedException>(() => loaded.ExportPkcs1());
        await Assert.ThrowsAsync<ObjectDisposedException>(() => store.TryLoadAsync(First, None).AsTask());
        await store.DisposeAsync();
    }

    private static string KeyPath(string file) => Path.Combine(AppContext.BaseDirectory, "Keys", file);

    private static BlindRsaPrivateKey ExportableKey(string file) =>
        BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(KeyPath(file)), exportable: true);
}
