using System.Text;
using Microsoft.Data.Sqlite;
using Wallet.Crypto.Merkle;
using Wallet.Crypto.Notes;
using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Deposits;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Providers;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.EndToEnd;
using Wallet.Protocol.Tests.Providers;
using Wallet.Protocol.Wire;
using Wallet.Protocol.Witnesses;
using Wallet.Storage.Sqlite.Providers;
using Wallet.Storage.Sqlite.Tests.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Providers;

public sealed class SqliteProviderStoreTests : ProviderStoreContract, IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly TempDatabase _database = new();
    private readonly List<SqliteProviderStore> _stores = [];

    public void Dispose()
    {
        foreach (var store in _stores)
        {
            store.Dispose();
        }

        _database.Dispose();
    }

    protected override IProviderStore CreateStore()
    {
        var store = SqliteProviderStore.Open(_database.File($"provider-{_stores.Count}.db"));
        _stores.Add(store);
        return store;
    }

    [Fact]
    public async Task EveryStateSurvivesReopeningTheFile()
    {
        string path = _database.File("reopen.db");
        var samples = new MessageSamples(21);
        var (open, verified, paid, rejected) = (samples.Request(), samples.Request(), samples.Request(), samples.Request());
        var spends = new[] { samples.Spend(), samples.Spend() };
        var receipt = samples.SpendReceipt();
        var proof = samples.Proof();
        var deposit = samples.Deposit();
        using (var store = SqliteProviderStore.Open(path))
        {
            foreach (var request in new[] { open, verified, paid, rejected })
            {
                await store.AddOpenRequestAsync(request, None);
            }

            Assert.True(await store.MarkVerifiedAsync(verified, spends, None));
            Assert.True(await store.MarkVerifiedAsync(paid, [samples.Spend()], None));
            Assert.True(await store.MarkVerifiedAsync(rejected, [samples.Spend()], None));
            await store.SettleDepositAsync(new IdempotencyKey("earlier"), [ProviderPaymentState.Paid(paid.Id, receipt), ProviderPaymentState.Rejected(new DepositPaymentOutcome(rejected.Id, DepositPaymentStatus.DoubleSpend, null, [proof]))], None);
            await store.BeginDepositAsync(deposit, None);
        }

        using var reopened = SqliteProviderStore.Open(path);
        Assert.Equal(ProviderPaymentStatus.Open, (await reopened.GetPaymentStateAsync(open.Id, None)).Status);
        var queued = Assert.Single(await reopened.ListVerifiedAsync(10, None));
        Assert.Equal(verified.Encode(), queued.Request.Encode());
        Assert.Equal(spends.Select(s => s.Encode()), queued.Spends.Select(s => s.Encode()));
        Assert.Equal(receipt.Encode(), (await reopened.GetPaymentStateAsync(paid.Id, None)).Receipt!.Encode());
        Assert.Equal(proof.Encode(), Assert.Single((await reopened.GetPaymentStateAsync(rejected.Id, None)).Rejection!.DoubleSpendProofs).Encode());
        Assert.Equal(deposit.Encode(), (await reopened.GetInFlightDepositAsync(None))!.Encode());
        Assert.True(await reopened.MarkVerifiedAsync(open, [samples.Spend()], None));
    }

    [Fact]
    public void FileOfANewerSchemaIsRefused()
    {
        string path = _database.File("newer.db");
        SqliteProviderStore.Open(path).Dispose();
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = $"PRAGMA user_version = {SqliteProviderStore.SchemaVersion + 1}";
            command.ExecuteNonQuery();
        }

        Assert.Throws<InvalidOperationException>(() => SqliteProviderStore.Open(path));
    }

    [Fact]
    public void FileOfTheFirstSchemaHoldingRequestsIsRefusedAndAnEmptyOneMigrates()
    {
        string held = _database.File("v1-held.db");
        string empty = _database.File("v1-empty.db");
        SqliteProviderStore.Open(held).Dispose();
        SqliteProviderStore.Open(empty).Dispose();
        foreach (var (path, sql) in new[] { (held, "INSERT INTO open_requests VALUES (x'01', x'02'); PRAGMA user_version = 1;"), (empty, "PRAGMA user_version = 1;") })
        {
            using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = sql;
            command.ExecuteNonQuery();
        }

        // Version 1 held PB/1 version 1 payment requests, which this version cannot decode.
        Assert.Throws<InvalidOperationException>(() => SqliteProviderStore.Open(held));
        SqliteProviderStore.Open(empty).Dispose();
        using var check = new SqliteConnection($"Data Source={empty};Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal((long)SqliteProviderStore.SchemaVersion, version.ExecuteScalar());
    }

    [Fact]
    public void FileIsOwnerOnlyInANewOwnerOnlyDirectory()
    {
        if (OperatingSystem.IsWindows())
        {
            return;
        }

        string path = Path.Combine(_database.Directory, "till", "provider.db");
        using (var store = SqliteProviderStore.Open(path))
        {
            Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute, File.GetUnixFileMode(Path.GetDirectoryName(path)!));
            foreach (string file in new[] { path, path + "-wal", path + "-shm" }.Where(File.Exists))
            {
                Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(file));
            }
        }

        // An older file opened wide is narrowed.
        File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        SqliteProviderStore.Open(path).Dispose();
        Assert.Equal(UnixFileMode.UserRead | UnixFileMode.UserWrite, File.GetUnixFileMode(path));
    }

    [Fact]
    public async Task TheTrustedCheckpointAndSplitViewsSurviveReopeningAndARefusedForkIsKept()
    {
        using var world = await ProtocolWorld.CreateAsync(new InMemoryLedgerStore(), new InMemorySchemeStore(), new InMemoryMerkleLogStore());
        string path = _database.File("witnessed.db");
        const string origin = "benefits.example.org/pb1";
        using var witnessKey = Ed25519SigningKey.Generate();
        var logKey = new Ed25519NoteVerifier(origin, world.Scheme.PublicKey);
        var witness = new Witness([new WitnessedLog(origin, logKey)], new CosignatureV1Signer("w.example.org", witnessKey, world.Time), new InMemoryWitnessStore());
        var options = new WitnessPolicyOptions { LogVerifierKey = logKey.VerifierKey, Quorum = 1 };
        options.Witnesses.Add(new WitnessKeyOptions { Name = "w", VerifierKey = witness.Verifier.VerifierKey });
        var policy = new WitnessPolicy(options);

        // The scheme's own checkpoint, cosigned; and one of the same size and another root under the scheme key: a fork.
        var note = await world.Scheme.SignCheckpointAsync(origin);
        var checkpoint = Checkpoint.Parse(note.Text);
        var cosigned = AddCheckpointResponse.AppendCosignatures(note, Encoding.UTF8.GetBytes((await witness.AddCheckpointAsync(AddCheckpointRequest.Create(new ConsistencyProof(0, checkpoint.TreeSize, []), note))).FormatBody()));
        var other = Checkpoint.Create(origin, checkpoint.TreeSize, MerkleTree.HashLeaf([1, 2, 3])).Sign(new Ed25519NoteSigner(origin, world.SchemeKey));

        using (var store = SqliteProviderStore.Open(path))
        using (var provider = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store, policy))
        {
            Assert.Equal(ProviderCheckpointStatus.Accepted, await provider.ObserveCheckpointAsync(cosigned, null));
            Assert.Equal(ProviderCheckpointStatus.Fork, await provider.ObserveCheckpointAsync(other, null));
        }

        using (var store = SqliteProviderStore.Open(path))
        using (var provider = new AccreditedProvider(world.UnionA.Record, world.ProviderKey(world.UnionA), world.Scheme.PublicKey, world.Time, store, policy))
        {
            Assert.Equal(cosigned, await provider.GetTrustedCheckpointAsync());
            var evidence = Assert.Single(await provider.GetSplitViewsAsync());
            Assert.Equal(SplitViewKind.SameSizeDifferentRoots, evidence.Kind);
            Assert.True(evidence.Verify(logKey));
            Assert.Equal(ProviderCheckpointStatus.Fork, await provider.ObserveCheckpointAsync(other, null));
            Assert.Single(await provider.GetSplitViewsAsync());
        }

        // A stored note that no longer parses is a corrupt row, read as the store's typed error.
        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "UPDATE checkpoint SET note = x'00'";
            command.ExecuteNonQuery();
        }

        using var corrupt = SqliteProviderStore.Open(path);
        await Assert.ThrowsAsync<ProtocolFormatException>(async () => await corrupt.GetCheckpointAsync(None));
    }

    [Fact]
    public async Task AFileOfTheSecondSchemaMigratesKeepingItsPayments()
    {
        string path = _database.File("v2.db");
        var samples = new MessageSamples(31);
        var request = samples.Request();
        using (var store = SqliteProviderStore.Open(path))
        {
            await store.AddOpenRequestAsync(request, None);
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE checkpoint; DROP TABLE split_views; PRAGMA user_version = 2;";
            command.ExecuteNonQuery();
        }

        var (same, _) = await SplitViewsAsync();
        using (var migrated = SqliteProviderStore.Open(path))
        {
            Assert.Equal(ProviderPaymentStatus.Open, (await migrated.GetPaymentStateAsync(request.Id, None)).Status);
            Assert.Null(await migrated.GetCheckpointAsync(None));
            await migrated.AddSplitViewAsync(same, None);
        }

        using var check = new SqliteConnection($"Data Source={path};Pooling=False");
        check.Open();
        using var version = check.CreateCommand();
        version.CommandText = "PRAGMA user_version";
        Assert.Equal((long)SqliteProviderStore.SchemaVersion, version.ExecuteScalar());
        using var reopened = SqliteProviderStore.Open(path);
        Assert.Equal([same], await reopened.ListSplitViewsAsync(None));
    }
}
