using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.Ledger;
using Wallet.Storage.Postgres.Tests.Scheme;
using Wallet.Storage.Postgres.Tests.Server;

namespace Wallet.Storage.Postgres.Tests.Database;

/// <summary>A payroll batch in one PostgreSQL schema: its contribution records and its journal entries commit together.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostgresSchemeDatabasePayrollTests(PostgresFixture server) : IAsyncLifetime
{
    private readonly PostgresSchemeWorlds _worlds = new(server);

    public Task InitializeAsync() => Task.CompletedTask;

    public async Task DisposeAsync() => await _worlds.DisposeAsync();

    [Fact]
    public async Task BatchWhoseLedgerCommitFailsLeavesNoContributionRecordAndTheRetryAppliesIt()
    {
        var database = await _worlds.OpenDatabaseAsync();
        var failing = new FailingCommitLedgerStore(database.Ledger);
        using var schemeKey = Ed25519SigningKey.Generate();
        using var accreditation = Ed25519SigningKey.Generate();
        using var accountKey = Ed25519SigningKey.Generate();
        var scheme = new BenefitScheme(schemeKey, accreditation.PublicKey, new SchemeLedger(failing, TimeProvider.System), database.Scheme, database.Log, TimeProvider.System) { Transactions = database };
        var worker = new AccountId("worker-1");
        await scheme.RegisterAccountAsync(worker, accountKey.PublicKey);
        PayrollLine[] batch =
        [
            new(new AccountId("employer-1"), new IdempotencyKey("line-1"), ContributionSource.Employer, worker, Amount.FromMinorUnits(700)),
            new(new AccountId("employer-2"), new IdempotencyKey("line-2"), ContributionSource.Employer, worker, Amount.FromMinorUnits(300)),
        ];

        failing.FailNextCommit = true;
        await Assert.ThrowsAsync<LedgerStoreException>(() => scheme.ContributeBatchAsync(batch));

        // The records are written before the entries; the failed commit took them with it.
        Assert.Null(await database.Scheme.GetContributionRecordAsync(batch[0].LedgerKey, CancellationToken.None));
        Assert.Null(await database.Scheme.GetContributionRecordAsync(batch[1].LedgerKey, CancellationToken.None));
        Assert.Equal(0, await scheme.GetWorkerBalanceAsync(worker));

        var applied = await scheme.ContributeBatchAsync(batch);
        Assert.All(applied, line => Assert.True(line.Succeeded && !line.IsReplay));
        Assert.NotNull(await database.Scheme.GetContributionRecordAsync(batch[1].LedgerKey, CancellationToken.None));
        Assert.Equal(1_000, await scheme.GetWorkerBalanceAsync(worker));
        Assert.True((await new SchemeLedger(database.Ledger, TimeProvider.System).VerifyAsync()).IsValid);

        // A retried batch applies nothing twice.
        Assert.All(await scheme.ContributeBatchAsync(batch), line => Assert.True(line.IsReplay));
        Assert.Equal(1_000, await scheme.GetWorkerBalanceAsync(worker));
    }
}
