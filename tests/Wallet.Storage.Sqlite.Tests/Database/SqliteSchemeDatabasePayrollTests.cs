using Wallet.Crypto.Signing;
using Wallet.Protocol;
using Wallet.Protocol.Ledger;
using Wallet.Protocol.Operators;
using Wallet.Protocol.Schemes;
using Wallet.Protocol.Tests.Ledger;
using Wallet.Storage.Sqlite.Tests.Ledger;

namespace Wallet.Storage.Sqlite.Tests.Database;

/// <summary>A payroll batch on one database: its contribution records and its journal entries commit together.</summary>
public sealed class SqliteSchemeDatabasePayrollTests : IDisposable
{
    private readonly TempDatabase _temp = new();

    [Fact]
    public async Task BatchWhoseLedgerCommitFailsLeavesNoContributionRecordAndTheRetryAppliesIt()
    {
        await using var database = await SqliteSchemeDatabase.OpenAsync(_temp.File(SqliteSchemeDatabase.DefaultFileName));
        var failing = new FailingCommitLedgerStore(database.Ledger);
        using var schemeKey = Ed25519SigningKey.Generate();
        using var accreditation = Ed25519SigningKey.Generate();
        using var accountKey = Ed25519SigningKey.Generate();
        var scheme = new BenefitScheme(schemeKey, accreditation.PublicKey, new SchemeLedger(failing, TimeProvider.System), database.Scheme, database.Log, TimeProvider.System) { Transactions = database };
        var worker = new AccountId("worker-1");
        await scheme.RegisterAccountAsync(worker, accountKey.PublicKey);
        PayrollLine[] batch = [new(new AccountId("employer-1"), new IdempotencyKey("line-1"), ContributionSource.Employer, worker, Amount.FromMinorUnits(700))];

        failing.FailNextCommit = true;
        await Assert.ThrowsAsync<LedgerStoreException>(() => scheme.ContributeBatchAsync(batch));

        // Without a shared transaction the record would stay behind (written first); here it went with the entry.
        Assert.Null(await database.Scheme.GetContributionRecordAsync(batch[0].LedgerKey, CancellationToken.None));
        Assert.Equal(0, await scheme.GetWorkerBalanceAsync(worker));

        var applied = await scheme.ContributeBatchAsync(batch);
        Assert.True(applied[0].Succeeded);
        Assert.False(applied[0].IsReplay);
        Assert.NotNull(await database.Scheme.GetContributionRecordAsync(batch[0].LedgerKey, CancellationToken.None));
        Assert.Equal(700, await scheme.GetWorkerBalanceAsync(worker));
    }

    public void Dispose() => _temp.Dispose();
}
