using Microsoft.Data.Sqlite;
using Wallet.Protocol.Mandates;
using Wallet.Protocol.Providers;
using Wallet.Storage.Sqlite.Providers;
using Wallet.Storage.Sqlite.Tests.Ledger;
using Wallet.Storage.Testing;

namespace Wallet.Storage.Sqlite.Tests.Providers;

/// <summary>Schema version 4 (dues mandates, docs/PROTOCOL.md 5.19) on a file of version 3.</summary>
public sealed class SqliteProviderStoreMandateMigrationTests : IDisposable
{
    private readonly TempDatabase _database = new();

    public void Dispose() => _database.Dispose();

    [Fact]
    public async Task AFileOfTheThirdSchemaMigratesKeepingItsRequestsAndGainsMandates()
    {
        string path = _database.File("provider-v3.db");
        var samples = new MessageSamples(77);
        var request = samples.Request();
        using (var store = SqliteProviderStore.Open(path))
        {
            await store.AddOpenRequestAsync(request, CancellationToken.None);
        }

        using (var connection = new SqliteConnection($"Data Source={path};Pooling=False"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TABLE mandates; DROP TABLE mandate_requests; PRAGMA user_version = 3;";
            command.ExecuteNonQuery();
        }

        var mandate = samples.Mandate();
        using (var migrated = SqliteProviderStore.Open(path))
        {
            Assert.Equal(ProviderPaymentStatus.Open, (await migrated.GetPaymentStateAsync(request.Id, CancellationToken.None)).Status);
            await migrated.AddMandateAsync(mandate, CancellationToken.None);
            await migrated.AddMandateRequestAsync(samples.Request(), new MandatePeriod(mandate.Id, 0), CancellationToken.None);
        }

        using var reopened = SqliteProviderStore.Open(path);
        Assert.Equal(mandate.Encode(), (await reopened.GetMandateAsync(mandate.Id, CancellationToken.None))!.Encode());
        Assert.Empty(await reopened.ListPaidPeriodsAsync(mandate.Id, CancellationToken.None));
    }
}
