using System.Security.Cryptography;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Npgsql;
using Wallet.Crypto.BlindRsa;
using Wallet.Protocol;
using Wallet.Protocol.Keysets;
using Wallet.Storage.Postgres.Keysets;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.DependencyInjection;

/// <summary>AddWalletPostgresKeysetKeyStore: its options, the key file, and the store it resolves on the real server.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresKeysetKeyStoreServiceCollectionExtensionsTests(PostgresFixture server) : IDisposable
{
    private const string Unreachable = "Host=127.0.0.1;Port=1;Timeout=1";
    private static readonly KeysetId First = new(Enumerable.Repeat((byte)1, KeysetId.Length).ToArray());
    private readonly string _directory = Directory.CreateTempSubdirectory("walletcore-kek-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public void MissingSettingsFailValidationAtStartUp()
    {
        using var provider = new ServiceCollection().AddWalletPostgresKeysetKeyStore().BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());

        Assert.Contains(error.Failures, f => f.Contains(nameof(PostgresKeysetKeyStoreOptions.ConnectionString), StringComparison.Ordinal));
        Assert.Contains(error.Failures, f => f.Contains(nameof(PostgresKeysetKeyStoreOptions.KeyEncryptionKeyFile), StringComparison.Ordinal));
        Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IKeysetKeyStore>());
    }

    [Fact]
    public void OverADataSourceOnlyTheKeyFileIsRequired()
    {
        using var provider = new ServiceCollection()
            .AddWalletPostgresKeysetKeyStore(_ => NpgsqlDataSource.Create(Unreachable))
            .BuildServiceProvider();

        var error = Assert.Throws<OptionsValidationException>(() => provider.GetRequiredService<IStartupValidator>().Validate());
        Assert.Equal(nameof(PostgresKeysetKeyStoreOptions.KeyEncryptionKeyFile), Assert.Single(error.Failures).Split(' ')[0]);
    }

    [Fact]
    public async Task TheInMemoryDefaultIsReplacedAndAMissingOrShortKeyFileIsRefusedWhenResolved()
    {
        string keyFile = Path.Combine(_directory, "keysets.kek");
        var services = new ServiceCollection()
            .AddSingleton<IKeysetKeyStore, InMemoryKeysetKeyStore>()
            .AddWalletPostgresKeysetKeyStore(o => (o.ConnectionString, o.KeyEncryptionKeyFile) = (Unreachable, keyFile));
        Assert.NotNull(Assert.Single(services, d => d.ServiceType == typeof(IKeysetKeyStore)).ImplementationFactory);

        await using (var provider = services.BuildServiceProvider())
        {
            Assert.Throws<FileNotFoundException>(() => provider.GetRequiredService<IKeysetKeyStore>());
            Assert.False(File.Exists(keyFile));
        }

        await File.WriteAllBytesAsync(keyFile, new byte[16]);
        await using (var provider = services.BuildServiceProvider())
        {
            var refused = Assert.Throws<InvalidDataException>(() => provider.GetRequiredService<IKeysetKeyStore>());
            Assert.DoesNotContain("00000000", refused.Message, StringComparison.Ordinal);
        }

        await File.WriteAllBytesAsync(keyFile, RandomNumberGenerator.GetBytes(32));
        await using (var provider = services.BuildServiceProvider())
        {
            // Resolving reads the key file but opens no connection (nothing listens at the unreachable address).
            Assert.IsType<PostgresKeysetKeyStore>(provider.GetRequiredService<IKeysetKeyStore>());
        }
    }

    [Fact]
    public async Task TwoNodesRegisteredOverOneDatabaseAndOneKeyFileShareTheirKeys()
    {
        string schema = await server.NewSchemaAsync("keys");
        string keyFile = Path.Combine(_directory, "keysets.kek");
        await File.WriteAllBytesAsync(keyFile, RandomNumberGenerator.GetBytes(32));
        await using var dataSource = NpgsqlDataSource.Create(schema);
        using var key = BlindRsaPrivateKey.ImportFromPem(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Keys", "rsa2048.pem")), exportable: true);

        await using (var nodeA = new ServiceCollection()
            .AddWalletPostgresKeysetKeyStore(o => (o.ConnectionString, o.KeyEncryptionKeyFile) = (schema, keyFile))
            .BuildServiceProvider())
        {
            await nodeA.GetRequiredService<IKeysetKeyStore>().PutAsync(First, key, CancellationToken.None);
        }

        await using (var nodeB = new ServiceCollection()
            .AddKeyedSingleton("walletcore", dataSource)
            .AddWalletPostgresKeysetKeyStore(sp => sp.GetRequiredKeyedService<NpgsqlDataSource>("walletcore"), o => o.KeyEncryptionKeyFile = keyFile)
            .BuildServiceProvider(new ServiceProviderOptions { ValidateOnBuild = true }))
        {
            var loaded = await nodeB.GetRequiredService<IKeysetKeyStore>().TryLoadAsync(First, CancellationToken.None);
            Assert.Equal(key.PublicKey.ExportSubjectPublicKeyInfo(), loaded!.PublicKey.ExportSubjectPublicKeyInfo());
        }

        // The container disposed the store, not the application's data source.
        await using var connection = await dataSource.OpenConnectionAsync();
        await using var count = new NpgsqlCommand("SELECT count(*) FROM keyset_keys", connection);
        Assert.Equal(1L, await count.ExecuteScalarAsync());
    }
}
